"""The CPPN itself: weights drawn from the recipe's seed, and the forward pass.

Weights are always drawn on the CPU from a torch.Generator seeded by the recipe (never the global
RNG, never a device RNG), so a replay code means the same network on every machine.
Shapes: x [N, n_in] (or [B, N, n_in] batched) -> hidden [.., N, width_i] -> out [.., N, n_out].
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import torch

from bot.art.recipe import MIXABLE, Recipe

Tensor = torch.Tensor


def _gaussian(h: Tensor) -> Tensor:
    return h.square_().neg_().exp_()


ACTIVATION_FNS: dict[str, Callable[[Tensor], Tensor]] = {
    "tanh": torch.tanh_,
    "sin": torch.sin_,
    "relu": torch.relu_,
    "sigmoid": torch.sigmoid_,
    "softplus": torch.nn.functional.softplus,
    "gaussian": _gaussian,
}

# Independent random streams per seed, so that e.g. switching `mix` on keeps the same weights.
_STREAM_WEIGHTS, _STREAM_ACTIVATIONS, _STREAM_LATENT = 0, 1, 2
_STREAM_EXTRA_LATENT = 3  # weights for latent inputs an animation adds (with_latent_inputs)


@dataclass(frozen=True)
class Network:
    """Weights of one CPPN (or a stack of B of them, with a leading batch dimension)."""

    weights: tuple[Tensor, ...]  # per layer: [out, in] or [B, out, in]
    biases: tuple[Tensor | None, ...]  # per layer: [out] or [B, out], or None
    activations: tuple[str, ...]  # one per hidden layer
    latent: Tensor  # [zdim] or [B, zdim]

    def to(self, device: torch.device | str) -> Network:
        move = lambda t: None if t is None else t.to(device)  # noqa: E731
        return Network(
            tuple(move(w) for w in self.weights),
            tuple(move(b) for b in self.biases),
            self.activations,
            self.latent.to(device),
        )


def _generator(seed: int, stream: int) -> torch.Generator:
    return torch.Generator(device="cpu").manual_seed(seed * 16 + stream)


def _uniform(shape: tuple[int, ...], bound: float, g: torch.Generator) -> Tensor:
    return (torch.rand(shape, generator=g) * 2.0 - 1.0) * bound


def _draw_weight(shape: tuple[int, int], r: Recipe, g: torch.Generator) -> Tensor:
    """One weight matrix [out, in] under the recipe's init scheme."""
    if r.init == "normal":
        return torch.randn(shape, generator=g) * r.std
    if r.init == "uniform":
        return _uniform(shape, r.range, g)
    return _uniform(shape, 1.0 / math.sqrt(shape[1]), g)  # PyTorch's default: U(+-1/sqrt(fan_in))


def _draw_bias(fan_out: int, fan_in: int, g: torch.Generator) -> Tensor:
    # The article's init touches weights only, so biases keep PyTorch's default under every scheme.
    return _uniform((fan_out,), 1.0 / math.sqrt(fan_in), g)


def layer_activations(r: Recipe) -> tuple[str, ...]:
    """The activation of each hidden layer; `mix` draws them from the seed."""
    if r.activation != "mix":
        return (r.activation,) * r.layers
    g = _generator(r.seed, _STREAM_ACTIVATIONS)
    picks = torch.randint(len(MIXABLE), (r.layers,), generator=g).tolist()
    return tuple(MIXABLE[i] for i in picks)


# Angles of a variation (a turn of the weights toward a fresh draw, see nudge_seed): subtle
# keeps the shapes and colours and moves the details; strong keeps the family (looked at over
# seeds, activations and depths; a deep or chaotic network moves more at any angle).
NUDGE_ANGLES = {"subtle": 0.045, "strong": 0.13}


def build_network(r: Recipe) -> Network:
    """The recipe's network: drawn from its seed, blended toward the same network from
    blend_seed, then turned by each variation taken. Rotations, not sums: cos(a) W + sin(a) N of
    two independent draws of one init has that init's spread, so a blend or a variation stays as
    vivid as a picture straight from its seed (a straight average halves the variance)."""
    net = _drawn(r)
    base = replace(r, blend_seed=0, blend_t=0.0, nudges="")
    if r.blend_t == 1:  # all the way: b's weights exactly (cos(pi/2) is not quite 0)
        net = replace(_drawn(replace(base, seed=r.blend_seed)), activations=net.activations)
    elif r.blend_t:
        net = _turn(net, _drawn(replace(base, seed=r.blend_seed)), r.blend_t * math.pi / 2)
    for k, digit in enumerate(r.nudges):
        index, strength = nudge_of(digit)
        fresh = _drawn(replace(base, seed=nudge_seed(r, r.nudges[:k], index)))
        net = _turn(net, fresh, NUDGE_ANGLES[strength])
    return net


def nudge_of(digit: str) -> tuple[int, str]:
    """A variation digit's tile (1-4) and strength: 1-4 subtle, 5-8 strong."""
    d = int(digit)
    return (d - 1) % 4 + 1, "subtle" if d <= 4 else "strong"


def nudge_seed(r: Recipe, taken: str, index: int) -> int:
    """The seed of the fresh draw the `index`-th tile turns toward, after the variations
    `taken`: one per place in the line (a tile's subtle and strong share a direction)."""
    key = f"{r.seed}:{r.blend_seed}:{r.blend_t!r}:{taken}:{index}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big")


def _turn(net: Network, toward: Network, angle: float) -> Network:
    c, s = math.cos(angle), math.sin(angle)
    mix = lambda a, b: None if a is None else c * a + s * b  # noqa: E731
    return Network(
        tuple(mix(a, b) for a, b in zip(net.weights, toward.weights, strict=True)),
        tuple(mix(a, b) for a, b in zip(net.biases, toward.biases, strict=True)),
        net.activations,
        mix(net.latent, toward.latent),
    )


def _drawn(r: Recipe) -> Network:
    """Draw every weight of the network of the recipe's seed on the CPU, in a fixed order."""
    g = _generator(r.seed, _STREAM_WEIGHTS)
    dims = r.layer_dims()
    weights = tuple(_draw_weight((fan_out, fan_in), r, g) for fan_in, fan_out in dims)
    # Biases after all weights: toggling hidden biases leaves the weights as they were.
    # The first layer always has one (the article's bias=True; otoro's constant input).
    n_hidden = len(dims) - 1
    biases: list[Tensor | None] = [None] * len(dims)
    for i in range(n_hidden):
        if i == 0 or r.hidden_bias:
            biases[i] = _draw_bias(dims[i][1], dims[i][0], g)
    latent = torch.randn((r.zdim,), generator=_generator(r.seed, _STREAM_LATENT))
    return Network(weights, tuple(biases), layer_activations(r), latent)


def with_latent_inputs(r: Recipe, net: Network, zdim: int) -> Network:
    """The recipe's network with latent inputs added up to `zdim` (first-layer weights for them
    drawn from the seed's own stream, under the recipe's init; the new z entries are 0). At z
    entries of 0 the network computes what it did: the picture is the recipe's own."""
    extra = zdim - r.zdim
    if extra <= 0:
        return net
    w0 = net.weights[0]
    g = _generator(r.seed, _STREAM_EXTRA_LATENT)
    fresh = _draw_weight((w0.shape[0], r.n_inputs + extra), r, g)[:, -extra:]
    z = torch.cat([net.latent, torch.zeros(extra)])
    return Network((torch.cat([w0, fresh], dim=1), *net.weights[1:]), net.biases,
                   net.activations, z)  # fmt: skip


def stack_networks(nets: list[Network]) -> Network:
    """Stack networks of one architecture into one with a leading batch dimension."""
    first = nets[0]
    if any(n.activations != first.activations for n in nets):
        raise ValueError("only networks with the same activations can be stacked")
    stack = lambda ts: None if ts[0] is None else torch.stack(ts)  # noqa: E731
    return Network(
        tuple(torch.stack([n.weights[i] for n in nets]) for i in range(len(first.weights))),
        tuple(stack([n.biases[i] for n in nets]) for i in range(len(first.biases))),
        first.activations,
        torch.stack([n.latent for n in nets]),
    )


def tanh_as_sigmoid(net: Network) -> Network:
    """The same function with every tanh layer computed through sigmoid, which CPUs do ~6x faster.

    tanh(z) = 2*sigmoid(2z) - 1: the inner 2 scales the layer's own weights and bias, and the
    outer 2s - 1 folds into the next layer (W(2s - 1) = 2Ws - W.1), adding a bias where needed.
    """
    weights, biases = list(net.weights), list(net.biases)
    acts = list(net.activations)
    for i in range(len(weights)):
        w, b = weights[i], biases[i]
        if i > 0 and net.activations[i - 1] == "tanh":  # input arrives as s, not 2s - 1
            b = (0 if b is None else b) - w.sum(dim=-1)
            w = 2 * w
        if i < len(acts) and acts[i] == "tanh":
            w, b, acts[i] = 2 * w, None if b is None else 2 * b, "sigmoid"
        weights[i], biases[i] = w, b
    return Network(tuple(weights), tuple(biases), tuple(acts), net.latent)


class Scratch:
    """Two reusable activation buffers for one thread's forward passes, used in turn by the
    layers. A fresh tensor per layer costs a page fault per 4 KB on its first touch (in addmm's
    copy of the bias): at width 16 about as long as the layer's arithmetic."""

    def __init__(self) -> None:
        self._bufs = [torch.empty(0), torch.empty(0)]

    def take(self, i: int, shape: tuple[int, ...]) -> Tensor:
        """A [shape] float32 view of buffer i % 2 (its old contents are garbage)."""
        n = math.prod(shape)
        if self._bufs[i % 2].numel() < n:
            self._bufs[i % 2] = torch.empty(n)
        return self._bufs[i % 2][:n].view(shape)


def _linear(h: Tensor, w: Tensor, b: Tensor | None, out: Tensor | None = None) -> Tensor:
    if w.dim() == 2:  # h [N, in] @ w.T [in, out]
        return torch.mm(h, w.t(), out=out) if b is None else torch.addmm(b, h, w.t(), out=out)
    wt = w.transpose(1, 2)  # h [B, N, in] @ wt [B, in, out]
    if b is None:
        return torch.bmm(h, wt, out=out)
    return torch.baddbmm(b.unsqueeze(1), h, wt, out=out)


def forward(net: Network, x: Tensor, scratch: Scratch | None = None) -> Tensor:
    """Colours in (0, 1) for input points x: [N, n_in] -> [N, n_out] (or batched). With
    `scratch` (CPU), every layer writes into its buffers: the result is a view of one of them,
    valid until the next forward pass with that scratch."""
    h = x
    last = len(net.weights) - 1
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        out = None if scratch is None else scratch.take(i, (*h.shape[:-1], w.shape[-2]))
        h = _linear(h, w, b, out)
        h = torch.sigmoid_(h) if i == last else ACTIVATION_FNS[net.activations[i]](h)
    return h
