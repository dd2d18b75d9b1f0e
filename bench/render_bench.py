"""Renderer benchmark: this renderer vs the article's approach, matmul-peak fraction, 4K peak RSS.

    python bench/render_bench.py            # everything (the 4K render takes minutes on 2 cores)
    python bench/render_bench.py --skip-4k

Every figure is measured in this one run on this machine; ratios compare within the run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.art import Recipe, Renderer  # noqa: E402


# --- the article's approach, re-implemented faithfully (section 9.1 of shared/seed/article.txt) ---
class ArticleNN(nn.Module):
    def __init__(self, activation=nn.Tanh, num_neurons: int = 16, num_layers: int = 9):
        super().__init__()
        layers = [nn.Linear(2, num_neurons, bias=True), activation()]
        for _ in range(num_layers - 1):
            layers += [nn.Linear(num_neurons, num_neurons, bias=False), activation()]
        layers += [nn.Linear(num_neurons, 3, bias=False), nn.Sigmoid()]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def init_normal(m: nn.Module) -> None:
    if type(m) is nn.Linear:
        nn.init.normal_(m.weight)


def article_run_net(net: nn.Module, size_x: int, size_y: int) -> np.ndarray:
    """The article's run_net: a per-pixel Python loop, then one untiled forward pass."""
    x = np.arange(0, size_x, 1)
    y = np.arange(0, size_y, 1)
    colors = np.zeros((size_x, size_y, 2))
    for i in x:
        for j in y:
            colors[i][j] = np.array([float(i) / size_y - 0.5, float(j) / size_x - 0.5])
    colors = colors.reshape(size_x * size_y, 2)
    img = net(torch.tensor(colors).type(torch.FloatTensor)).detach().numpy()
    return img.reshape(size_x, size_y, 3)


# --- measurements ------------------------------------------------------------------------------
def best_of(fn, repeats: int) -> float:
    """The fastest of `repeats` runs: the least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def matmul_peak_gflops(n: int = 2048, repeats: int = 5) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)  # warm up
    return 2 * n**3 / best_of(lambda: torch.mm(a, b), repeats) / 1e9


def run_4k_child() -> None:
    """In a fresh process: render 3840x2160 at width 128, 16 layers; print time and peak RSS."""
    r = Recipe(seed=1, width=128, layers=16, w=3840, h=2160)
    t = time.perf_counter()
    Renderer.create("cpu").render(r)
    seconds = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": rss_mb, "work": r.work()}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--skip-4k", action="store_true")
    p.add_argument("--child-4k", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_4k:
        return run_4k_child()
    torch.set_grad_enabled(False)
    print(f"machine: {platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")  # fmt: skip
    peak = matmul_peak_gflops()
    print(f"float32 matmul peak (2048^3 torch.mm): {peak:.1f} GFLOP/s")

    w, h = 1080, 720
    torch.manual_seed(0)
    net = ArticleNN()
    net.apply(init_normal)
    t_article = best_of(lambda: article_run_net(net, w, h), 3)
    recipe = Recipe(seed=1, layers=9, width=16, w=w, h=h)
    renderer = Renderer.create("cpu")
    renderer.render(recipe)  # warm up
    t_ours = best_of(lambda: renderer.render(recipe), 3)
    gflops = 2 * recipe.work() / t_ours / 1e9
    print(f"1080x720, width 16, 9 layers: article approach {t_article:.2f} s, "
          f"this renderer {t_ours * 1000:.0f} ms -> {t_article / t_ours:.0f}x faster")  # fmt: skip
    print(f"  matmul throughput {gflops:.1f} GFLOP/s = {gflops / peak:.1%} of peak "
          "(small 16-wide layers: activations and memory traffic dominate)")  # fmt: skip

    if args.skip_4k:
        return None
    out = subprocess.run([sys.executable, __file__, "--child-4k"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    res = json.loads(out.strip().splitlines()[-1])
    g4k = 2 * res["work"] / res["seconds"] / 1e9
    print(f"3840x2160, width 128, 16 layers: {res['seconds']:.1f} s, "
          f"peak RSS {res['peak_rss_mb']:.0f} MB (goal < 1536 MB), "
          f"{g4k:.1f} GFLOP/s = {g4k / peak:.1%} of matmul peak")  # fmt: skip
    return None


if __name__ == "__main__":
    main()
