// Package data is Descent's data layer: it reads CSV files into a design
// matrix and a target with errors that name file:line:column, ships
// embedded built-in datasets, fits and applies standardization statistics
// (kept for prediction), splits off a validation set, and yields index
// batches for full-batch, stochastic and mini-batch gradient descent.
//
// Reading is bounded and interruptible: a CSV record is at most
// DefaultMaxRecordBytes and a file at most DefaultMaxCells values, a class
// target's one-hot encoding at most MaxOneHotValues, and ReadCSVContext
// stops, even while blocked on a FIFO, when its context is done. Numbers are
// plain decimals; error messages quote at most 40 bytes of any user text.
//
// Matrices are []float64 in row-major order: row i of an N×D matrix X is
// X[i*D : (i+1)*D]. Nothing here panics on bad input from a file or a user;
// errors start with "data: ". Functions that take indices or buffers from
// the calling code (Row, Subset, Gather, FitStats) panic on out-of-range
// indices or short buffers, as slice indexing does.
package data
