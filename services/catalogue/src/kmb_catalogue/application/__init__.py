"""The catalogue's use cases: commands on entries and capacity, the answer to an assessed need, the
public leaflet and the demo catalogue. Each takes its ports (unit of work, clock, renderers) as
arguments; the adapters implement them and ``bootstrap`` wires them."""
