/** Small shared helpers: the seeded random number generator, name suggestions, number formatting. */
package dev.backprop.util;
