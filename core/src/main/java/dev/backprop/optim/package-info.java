/**
 * First-order update rules with PyTorch's conventions and defaults: gradient descent, momentum, Nesterov,
 * Adam, AdamW, RMSprop, Rprop (iRprop−) and Quickprop.
 */
package dev.backprop.optim;
