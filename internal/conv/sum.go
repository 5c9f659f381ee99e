package conv

// sumOf returns Σ v in eight running sums, added pairwise at the end. One
// running sum makes every addition wait for the one before (4 cycles on
// current x86 cores), which made ChannelSum, the bias gradient, about 8%
// of a LeNet-5 training step; eight keep the adder busy. The order differs
// from a left-to-right sum, within float rounding.
func sumOf[T Float](v []T) T {
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := v[i : i+8 : i+8]
		s0 += w[0]
		s1 += w[1]
		s2 += w[2]
		s3 += w[3]
		s4 += w[4]
		s5 += w[5]
		s6 += w[6]
		s7 += w[7]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
