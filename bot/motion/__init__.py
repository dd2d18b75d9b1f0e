"""Animated loops: the latent z walks a closed circle; frames render in batches and stream to an
encoder (MP4, GIF or animated WebP)."""
