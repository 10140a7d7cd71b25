"""Scripts for running Pūrei at scale (issue 16)."""
