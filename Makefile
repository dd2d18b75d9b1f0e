# Two commands that work on a fresh machine (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo run test lint bench gpu-check gallery clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/cppn-bot paint --seed 20240917 --layers 12 --width 24 --size 1280x720 -o out/painting.png
	$(BIN)/cppn-bot experiments -o out/experiments.png
	@echo "Pictures are in out/. Replay any code with: $(BIN)/cppn-bot replay CODE -o out/replay.png"

# The Discord bot: needs CPPN_DISCORD_TOKEN (or CPPN_DISCORD_TOKEN_FILE); see README.
run: $(STAMP)
	$(BIN)/cppn-bot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

# The README's gallery: sizes, aspect ratios, placements, and a Chinese custom quote.
GALLERY := docs/gallery
gallery: $(STAMP)
	mkdir -p $(GALLERY) out/gallery
	$(BIN)/cppn-bot paint --seed 20240917 --layers 12 --width 24 --size 1280x720 -o out/gallery/1-landscape.png
	$(BIN)/cppn-bot paint --seed 4242 --activation gaussian --size 720x1280 --placement top -o out/gallery/2-portrait.png
	$(BIN)/cppn-bot paint --seed 77 --inputs xyr --color hsv --size 1024x1024 --placement bottom --signature -o out/gallery/3-square.png
	$(BIN)/cppn-bot paint --seed 31337 --init uniform --range 100 --zoom 0.01 --size 1920x1080 --quote "我的神经网络长大后想成为一名画家。My neural network wants to be a painter when it grows up." -o out/gallery/4-wallpaper-cjk.png
	$(BIN)/cppn-bot paint --seed 8 --layers 16 --size 512x512 --placement centre -o out/gallery/5-small.png
	$(BIN)/cppn-bot paint --seed 1234 --width 128 --halving 4 --layers 8 --size 256x384 -o out/gallery/6-tiny.png
	for f in out/gallery/*.png; do $(BIN)/python -c "import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGB').save(sys.argv[2], quality=88)" $$f $(GALLERY)/$$(basename $$f .png).jpg; done

# Renders quiet and beside a busy process, roofline, a default /paint's stages, 4K memory; then the
# queue's p50/p95 with the bot's real mix, quiet and contended (about 2.5 minutes on 2 cores).
bench: $(STAMP)
	$(BIN)/python bench/render_bench.py
	$(BIN)/python bench/queue_bench.py --jobs 100 --users 20 --size 1024 --quotes generated \
		--backends local --batching on --compete

gpu-check: $(STAMP)
	$(BIN)/python bench/gpu_check.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
