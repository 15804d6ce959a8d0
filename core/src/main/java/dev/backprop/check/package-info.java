/** Gradient checking by central differences, as a user feature. */
package dev.backprop.check;
