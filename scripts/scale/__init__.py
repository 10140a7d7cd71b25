"""``make scale-demo``: Pūrei's production topology on one machine, as plain
processes, loaded and broken on purpose (docs/scaling.md)."""
