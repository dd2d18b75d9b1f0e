"""The artefacts under quotes/: writing them after training, reading them at run time.

quotes/v1/     the version-1 bundle (engine 1, model id 2feda3ff): weights, vocabulary, n-grams
               and fallback source, trained on ../shared/corpus alone; frozen forever, since
               version-1 replay codes name it
quotes/v2/lm/  the language model engine 2 reranks with: weights, vocabulary and the n-grams of
               both corpus folders (no fallback source), with a manifest of its own
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import torch

from bot.quotes.model import GPT, GPTConfig
from bot.quotes.ngrams import NoveltyIndex
from bot.quotes.sampler import SamplerSettings
from bot.quotes.vocab import Vocab

WEIGHTS = "model.pt"
VOCAB = "vocab.json"
NGRAMS = "ngrams6.npy"
MARKOV = "markov_source.txt"
MANIFEST = "manifest.json"
ARTEFACTS = (WEIGHTS, VOCAB, NGRAMS, MARKOV)
LM_ARTEFACTS = (WEIGHTS, VOCAB, NGRAMS)
# Bump when sampling or filtering code changes what a seed produces: it feeds the model id.
SAMPLER_VERSION = 1


def quotes_root() -> Path:
    """<repo>/quotes."""
    return Path(__file__).resolve().parents[2] / "quotes"


def legacy_dir() -> Path:
    """<repo>/quotes/v1: the frozen version-1 bundle (engine 1)."""
    return quotes_root() / "v1"


def lm_dir() -> Path:
    """<repo>/quotes/v2/lm: engine 2's language model."""
    return quotes_root() / "v2" / "lm"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def bundle_id(file_hashes: dict[str, str], sampler: SamplerSettings) -> str:
    """Short id of everything that decides the quote for a seed: the weights, vocabulary,
    n-gram hashes and fallback source, plus the sampler settings and version."""
    ident = {"files": file_hashes, "sampler": sampler.to_dict(), "version": SAMPLER_VERSION}
    blob = json.dumps(ident, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:8]


def save_weights(model: GPT, path: Path) -> None:
    """fp16 weights (half the size); the tied output matrix is stored once."""
    state = {k: v.half() for k, v in model.state_dict().items() if k != "head.weight"}
    torch.save({"config": model.cfg.to_dict(), "state": state}, path)


def load_weights(path: Path) -> GPT:
    blob = torch.load(path, map_location="cpu", weights_only=True)
    model = GPT(GPTConfig(**{**blob["config"], "dropout": 0.0}))
    missing, unexpected = model.load_state_dict(
        {k: v.float() for k, v in blob["state"].items()}, strict=False
    )
    if unexpected or set(missing) - {"head.weight"}:
        raise ValueError(f"weights do not fit the model: {missing=} {unexpected=}")
    return model.eval()


def write_manifest(out: Path, sampler: SamplerSettings, extra: dict) -> dict:
    """Hash every artefact and record it with the model id; returns the manifest."""
    files = {name: sha256_file(out / name) for name in ARTEFACTS}
    manifest = {
        "model_id": bundle_id(files, sampler),
        "sha256": files,
        "sampler": sampler.to_dict(),
        "sampler_version": SAMPLER_VERSION,
        **extra,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(path: Path, verify: bool = True) -> dict:
    """A bundle's manifest; with verify, each file it lists checked against its sha256."""
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    if verify:
        for name, expected in manifest["sha256"].items():
            if sha256_file(path / name) != expected:
                raise ValueError(f"{path / name} does not match its sha256 in {MANIFEST}")
    return manifest


@dataclass(frozen=True)
class Bundle:
    model: GPT
    vocab: Vocab
    novelty: NoveltyIndex
    markov_source: list[str]
    sampler: SamplerSettings
    model_id: str


def read_bundle(path: Path, verify: bool = True) -> Bundle:
    """Load the artefacts; with verify, check each file against its recorded sha256 first."""
    manifest = read_manifest(path, verify)
    sampler = SamplerSettings(**manifest["sampler"])
    markov = (path / MARKOV).read_text(encoding="utf-8").splitlines()
    return Bundle(
        model=load_weights(path / WEIGHTS),
        vocab=Vocab.load(path / VOCAB),
        novelty=NoveltyIndex.load(path / NGRAMS),
        markov_source=[ln for ln in markov if ln and not ln.startswith("#")],
        sampler=sampler,
        model_id=bundle_id(manifest["sha256"], sampler),
    )


def lm_id(file_hashes: dict[str, str]) -> str:
    """Short id of a language model: the first 8 hex of the sha256 of its files' hashes."""
    blob = json.dumps({"files": file_hashes}, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:8]


def write_lm_manifest(out: Path, extra: dict) -> dict:
    """Hash the language model's files and record them with its id; returns the manifest."""
    files = {name: sha256_file(out / name) for name in LM_ARTEFACTS}
    manifest = {"lm_id": lm_id(files), "sha256": files, **extra}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


@dataclass(frozen=True)
class LanguageModel:
    """Engine 2's scorer: the GPT, its vocabulary, and the n-grams of both corpus folders."""

    model: GPT
    vocab: Vocab
    novelty: NoveltyIndex
    lm_id: str
    manifest: dict


def read_lm(path: Path | None = None, verify: bool = True) -> LanguageModel:
    """Load quotes/v2/lm (or another directory); with verify, check each file's sha256 first."""
    path = Path(path) if path else lm_dir()
    manifest = read_manifest(path, verify)
    return LanguageModel(
        model=load_weights(path / WEIGHTS),
        vocab=Vocab.load(path / VOCAB),
        novelty=NoveltyIndex.load(path / NGRAMS),
        lm_id=lm_id(manifest["sha256"]),
        manifest=manifest,
    )
