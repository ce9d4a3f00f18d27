"""The live session: the trainer runs questions on the projector, trainees answer on phones."""
