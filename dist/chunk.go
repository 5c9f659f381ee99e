package dist

// maxCount is the largest element count handed to one MPI call: MPI counts
// are C ints, so a longer buffer goes in several calls. Element-wise sums
// and copies split at any offset without changing a result.
const maxCount = 1<<31 - 1

// chunks calls f(offset, count) over [0, n) in consecutive pieces of at most
// most elements each, and stops at the first error.
func chunks(n, most int, f func(off, count int) error) error {
	for off := 0; off < n; off += most {
		if err := f(off, min(most, n-off)); err != nil {
			return err
		}
	}
	return nil
}
