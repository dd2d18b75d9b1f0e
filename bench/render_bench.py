"""Renderer benchmark: quiet and contended renders, the article's approach, matmul roofline,
end-to-end stages of a default /paint, and 4K peak RSS.

    python bench/render_bench.py            # everything (the 4K render takes ~30 s on 2 cores)
    python bench/render_bench.py --skip-4k --rounds 5

Every figure is measured in this one run on this machine; ratios compare within the run. Times
are the best of `rounds` interleaved rounds (each round runs every variant once), so a burst of
someone else's work on a shared machine hits the variants alike. "Contended" means one CPU-bound
process, started by this script, runs beside the measurement for its whole duration.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.art import Recipe, Renderer  # noqa: E402
from bot.cpus import CpuBudget, affinity_cpus, cgroup_cpu_limit, usable_cpus  # noqa: E402


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


# --- measuring ---------------------------------------------------------------------------------
def interleaved(variants: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best time of each variant over `rounds` rounds that each run every variant once."""
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):
        for name, fn in variants.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def with_torch_threads(n: int, fn: Callable[[], object]) -> Callable[[], object]:
    """fn run with torch's own n intra-op threads (OpenMP), as before the CPU policy."""

    def run():
        before = torch.get_num_threads()
        torch.set_num_threads(n)
        try:
            return fn()
        finally:
            torch.set_num_threads(before)

    return run


def matmul_peak_gflops(threads: int, n: int = 2048, repeats: int = 5) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    run = with_torch_threads(threads, lambda: torch.mm(a, b))
    run()  # warm up
    return 2 * n**3 / interleaved({"mm": run}, repeats)["mm"] / 1e9


class Competitor:
    """One CPU-bound process (a Python busy loop) for as long as the `with` lasts."""

    def __enter__(self) -> Competitor:
        self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(0.3)  # let it start spinning
        return self

    def __exit__(self, *exc) -> None:
        self.proc.kill()
        self.proc.wait()


def profile_split(renderer: Renderer, recipe: Recipe) -> str:
    """Where a one-thread render's time goes, by torch operator (self CPU time)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        renderer.render(recipe)
    groups = {"matmul": ("aten::addmm", "aten::mm", "aten::bmm", "aten::baddbmm"),
              "activation": ("aten::sigmoid_", "aten::tanh_", "aten::sin_", "aten::exp_"),
              "bias copies": ("aten::copy_",)}  # fmt: skip
    total = sum(e.self_cpu_time_total for e in prof.key_averages())
    parts = {k: sum(e.self_cpu_time_total for e in prof.key_averages() if e.key in names)
             for k, names in groups.items()}  # fmt: skip
    parts["other"] = total - sum(parts.values())
    return ", ".join(f"{k} {v / total:.0%}" for k, v in parts.items())


# --- the sections ------------------------------------------------------------------------------
def machine(cores: int) -> float:
    limit = cgroup_cpu_limit()
    print(f"machine: {platform.processor() or platform.machine()}, torch {torch.__version__}; "
          f"{affinity_cpus()} CPUs in the affinity mask, cgroup quota "
          f"{'none' if limit is None else f'{limit:g} CPUs'} -> {cores} usable")  # fmt: skip
    peak1, peak = matmul_peak_gflops(1), matmul_peak_gflops(cores)
    print(f"float32 matmul peak (2048^3 torch.mm): {peak1:.1f} GFLOP/s on one thread, "
          f"{peak:.1f} on {cores}")  # fmt: skip
    return peak1, peak


def render_section(cores: int, peak1: float, peak: float, rounds: int) -> None:
    w, h = 1080, 720
    torch.manual_seed(0)
    net = ArticleNN()
    net.apply(init_normal)
    t_article = interleaved(
        {"article": with_torch_threads(cores, lambda: article_run_net(net, w, h))}, 2
    )["article"]
    recipe = Recipe(seed=1, layers=9, width=16, w=w, h=h)
    one = Renderer.create("cpu", budget=CpuBudget(1))
    tiles = Renderer.create("cpu", budget=CpuBudget(cores))
    variants = {
        "one thread": lambda: one.render(recipe),
        f"tiles on {cores} threads": lambda: tiles.render(recipe),
        f"torch's {cores} OpenMP threads (before)": with_torch_threads(
            cores, lambda: one.render(recipe)
        ),
    }
    for fn in variants.values():
        fn()  # warm up
    quiet = interleaved(variants, rounds)
    with Competitor():
        busy = interleaved(variants, rounds)
    single, ours = quiet["one thread"], quiet[f"tiles on {cores} threads"]
    print(f"\n1080x720, width 16, 9 layers (best of {rounds} interleaved rounds):")
    print(f"  article's approach: {t_article:.2f} s")
    print(f"  {'':40} {'quiet':>9} {'contended':>10} {'/ one thread quiet':>19}")
    for name in variants:
        print(f"  {name:40} {quiet[name] * 1000:6.0f} ms {busy[name] * 1000:7.0f} ms "
              f"{busy[name] / single:12.2f}x")  # fmt: skip
    contended = busy[f"tiles on {cores} threads"]
    print(f"  -> speed-up over the article, quiet: {t_article / ours:.1f}x (goal >= 15x); "
          f"contended / one-thread time: {contended / single:.2f}x (goal <= 1.5x)")  # fmt: skip
    g1, g = 2 * recipe.work() / single / 1e9, 2 * recipe.work() / ours / 1e9
    print(f"  roofline: {g1:.1f} GFLOP/s on one thread = {g1 / peak1:.0%} of the one-thread "
          f"matmul peak; {g:.1f} on {cores} = {g / peak:.0%} of the {cores}-thread "
          "peak")  # fmt: skip
    print(f"  one-thread profile: {profile_split(one, recipe)}")
    shapes = {"default /paint 1024x1024, 16 layers": Recipe(seed=1, layers=16),
              "1024x1024, width 128, 8 layers": Recipe(seed=1, width=128, layers=8)}  # fmt: skip
    for label, r in shapes.items():
        one.render(r)
        t = interleaved({"r": lambda r=r: one.render(r)}, max(2, rounds // 2))["r"]
        gf = 2 * r.work() / t / 1e9
        print(f"  {label}: one thread {t * 1000:.0f} ms, {gf:.1f} GFLOP/s = "
              f"{gf / peak1:.0%} of the one-thread peak")  # fmt: skip


def stages_section(rounds: int) -> None:
    """Default /paint (1024x1024, 16 layers, generated quote), everything on one core."""
    from bot.compose import Compositor
    from bot.pipeline import PaintSpec, Pipeline
    from bot.quotes.engines import load_quotes

    budget = CpuBudget(1)
    pipeline = Pipeline(Renderer.create("cpu", budget=budget), Compositor(), load_quotes(), budget)
    seeds = (1, 2, 3)
    pipeline.run(PaintSpec(Recipe(seed=9, layers=16)))  # warm up: fonts, quote model
    best: dict[int, dict[str, float]] = {}
    sizes = []
    for _ in range(max(2, rounds // 2)):
        for seed in seeds:
            done = pipeline.run(PaintSpec(Recipe(seed=seed, layers=16)))
            mine = best.setdefault(seed, dict(done.timings))
            for k, v in done.timings.items():
                mine[k] = min(mine[k], v)
            sizes.append(len(done.data))
    stages = {k: sum(b[k] for b in best.values()) / len(best) for k in best[seeds[0]]}
    after = stages["quote"] + stages["compose"] + stages["encode"]
    print(f"\nend to end, default /paint (1024x1024, 16 layers, generated quote), one core, "
          f"seeds {seeds}, best of {max(2, rounds // 2)} each:")  # fmt: skip
    print("  " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items())
          + f"; PNG {sum(sizes) / len(sizes) / 1e6:.2f} MB")  # fmt: skip
    print(f"  after the render (quote + compose + encode): {after * 1000:.0f} ms = "
          f"{after / stages['render']:.0%} of the render (goal <= 50%)")  # fmt: skip


def run_4k_child() -> None:
    """In a fresh process: render 3840x2160 at width 128, 16 layers; print time and peak RSS."""
    r = Recipe(seed=1, width=128, layers=16, w=3840, h=2160)
    t = time.perf_counter()
    Renderer.create("cpu").render(r)
    seconds = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": rss_mb, "work": r.work()}))


def uhd_section(peak: float) -> None:
    out = subprocess.run([sys.executable, __file__, "--child-4k"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    res = json.loads(out.strip().splitlines()[-1])
    g4k = 2 * res["work"] / res["seconds"] / 1e9
    print(f"\n3840x2160, width 128, 16 layers: {res['seconds']:.1f} s, "
          f"peak RSS {res['peak_rss_mb']:.0f} MB (goal < 1536 MB), "
          f"{g4k:.1f} GFLOP/s = {g4k / peak:.0%} of matmul peak")  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--skip-4k", action="store_true")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds per measurement")
    p.add_argument("--child-4k", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_4k:
        return run_4k_child()
    torch.set_grad_enabled(False)
    cores = usable_cpus()
    peak1, peak = machine(cores)
    render_section(cores, peak1, peak, args.rounds)
    stages_section(args.rounds)
    if not args.skip_4k:
        uhd_section(peak)
    return None


if __name__ == "__main__":
    main()
