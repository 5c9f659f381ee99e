package safetensors

// Tensor is one named array of a safetensors file.
//
// F64 holds its values in row-major order converted to float64, whatever
// the dtype (exact for every dtype except I64 and U64 values beyond 2^53).
// For the integer dtypes (BOOL, U8, I8, U16, I16, U32, I32, I64, U64) I64
// holds the exact values too; it is nil for float dtypes.
type Tensor struct {
	// DType is the stored dtype: "F64", "F32", "F16", "BF16", "I64", …
	// On Write, an empty or float DType means "a float tensor, stored in
	// Write's dtype"; an integer DType is kept.
	DType string
	// Shape is the tensor's shape; [] (or nil) is a scalar of one value.
	Shape []int
	// F64 holds the product(Shape) values in row-major order.
	F64 []float64
	// I64 holds the exact values of an integer tensor; nil for floats.
	// On Write, an integer tensor is written from I64 when it is non-nil,
	// from F64 otherwise.
	I64 []int64
}
