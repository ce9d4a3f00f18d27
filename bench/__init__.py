"""Load, fault and speed proofs: gunicorn control, seeding, simulated trainees, wrk benchmark."""
