"""Invariants checked against independent references, not against the implementation's helpers:
the renderer's tanh-through-sigmoid rewrite against plain torch layers, and the compositor's
WCAG contrast against published reference values."""

from __future__ import annotations

import pytest
import torch

from bot.art.network import Network, build_network, forward, tanh_as_sigmoid
from bot.art.recipe import Recipe
from bot.compose.contrast import contrast_ratio, relative_luminance

# The activations as plain torch calls, written here and not imported from the renderer.
PLAIN = {
    "tanh": torch.tanh,
    "sin": torch.sin,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus,
    "gaussian": lambda h: torch.exp(-h * h),
}


def plain_forward(weights, biases, activations, x: torch.Tensor) -> torch.Tensor:
    """Linear + activation per hidden layer, sigmoid out: the article's network, literally."""
    h = x.double()
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = h @ w.double().t() + (0 if b is None else b.double())
        h = torch.sigmoid(h) if i == len(weights) - 1 else PLAIN[activations[i]](h)
    return h


@pytest.mark.parametrize(
    "recipe",
    [
        Recipe(seed=1, layers=9, width=16),
        Recipe(seed=2, layers=4, width=32, hidden_bias=True),
        Recipe(seed=3, layers=6, width=8, activation="mix"),
        Recipe(seed=4, layers=1, width=64, std=2.0),
        Recipe(seed=5, layers=12, width=24, inputs="xyr", zdim=2, hidden_bias=True),
        Recipe(seed=6, layers=0),
    ],
)
def test_tanh_through_sigmoid_computes_the_plain_network(recipe: Recipe) -> None:
    """In float64, so that only the algebra is compared (in float32 a deep chaotic network
    amplifies rounding differences of any reordering to ~1e-3)."""
    net = build_network(recipe)
    x = torch.rand((4096, recipe.n_inputs), generator=torch.Generator().manual_seed(7)) - 0.5
    want = plain_forward(net.weights, net.biases, net.activations, x)
    rewritten = tanh_as_sigmoid(_double(net))
    got = forward(rewritten, x.double())
    assert "tanh" not in rewritten.activations
    assert torch.allclose(got, want, atol=1e-9), float((got - want).abs().max())


def _double(net: Network) -> Network:
    return Network(
        tuple(w.double() for w in net.weights),
        tuple(None if b is None else b.double() for b in net.biases),
        net.activations,
        net.latent.double(),
    )


def test_wcag_contrast_matches_published_reference_values() -> None:
    white, black = relative_luminance([255, 255, 255]), relative_luminance([0, 0, 0])
    assert white == pytest.approx(1.0) and black == pytest.approx(0.0)
    assert contrast_ratio(white, black) == pytest.approx(21.0)
    # WebAIM's checker: #777777 on white is 4.48:1 (fails AA), #767676 is 4.54:1 (passes).
    assert contrast_ratio(white, relative_luminance([0x77] * 3)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(white, relative_luminance([0x76] * 3)) == pytest.approx(4.54, abs=0.01)
    # Pure red on white 4.00:1, pure blue on white 8.59:1 (sRGB coefficients .2126/.7152/.0722).
    assert contrast_ratio(white, relative_luminance([255, 0, 0])) == pytest.approx(4.0, abs=0.01)
    assert contrast_ratio(white, relative_luminance([0, 0, 255])) == pytest.approx(8.59, abs=0.01)
