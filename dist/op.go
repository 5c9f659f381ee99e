package dist

import "fmt"

// op names a collective, for the MPI binding and for error messages.
type op int

const (
	opSum64 op = iota
	opSum32
	opBcast64
	opBcast32
	opBarrier
	opFinalize
)

// String is the method's name, as errors and the watchdog print it.
func (o op) String() string {
	switch o {
	case opSum64:
		return "AllreduceSum64"
	case opSum32:
		return "AllreduceSum32"
	case opBcast64:
		return "Bcast64"
	case opBcast32:
		return "Bcast32"
	case opBarrier:
		return "Barrier"
	case opFinalize:
		return "Finalize"
	}
	return "unknown collective"
}

// elemSize is the size in bytes of one element of op's buffer.
func (o op) elemSize() int {
	switch o {
	case opSum64, opBcast64:
		return 8
	case opSum32, opBcast32:
		return 4
	}
	return 0
}

// checkRoot checks that a broadcast's root is a rank of a world of size.
func checkRoot(op string, root, size int) error {
	if root < 0 || root >= size {
		return fmt.Errorf("dist: %s root must be in [0,%d), got %d", op, size, root)
	}
	return nil
}
