/** Runnable examples: the tour of the engine and the README's quick start. */
package dev.backprop.examples;
