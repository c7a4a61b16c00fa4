// Package badinput holds svcflow's bad-input corpus: table-driven tests that feed malformed, oversized, out-of-range and hostile inputs to the decoders, the config loader, the programs and the HTTP intake API, and check each is refused with a one-line error naming the problem and writes nothing.
package badinput
