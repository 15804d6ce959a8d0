/** Model files (JSON, documented in docs/model-format.md), a strict JSON parser, and atomic file writes. */
package dev.backprop.io;
