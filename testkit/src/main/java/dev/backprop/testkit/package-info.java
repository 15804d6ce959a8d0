/**
 * Reusable test machinery: the kernel conformance suite any backend must pass, the catalogue of valid cost and
 * activation pairs with suitable data, and reference problems with known answers.
 */
package dev.backprop.testkit;
