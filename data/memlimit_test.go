//go:build unix

package data

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

const memLimitEnv = "DATA_TEST_MEMLIMIT_CHILD"

// TestReadCSVDevZeroUnderMemoryLimit reads /dev/zero, as `--data /dev/zero`
// does, in a child process limited to 2 GiB of address space: it must end
// with the record-length error, not an out-of-memory kill (issue 8, item 2).
func TestReadCSVDevZeroUnderMemoryLimit(t *testing.T) {
	if os.Getenv(memLimitEnv) != "" {
		lim := &syscall.Rlimit{Cur: 2 << 30, Max: 2 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil {
			t.Fatal(err)
		}
		_, err := ReadCSV("/dev/zero", CSVOptions{})
		if err == nil {
			t.Fatal("no error")
		}
		os.Stdout.WriteString("CHILD: " + err.Error() + "\n")
		return
	}
	if raceEnabled {
		t.Skip("the race detector needs far more than 2 GiB of address space")
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReadCSVDevZeroUnderMemoryLimit$", "-test.v")
	cmd.Env = append(os.Environ(), memLimitEnv+"=1")
	out, err := cmd.CombinedOutput()
	want := "CHILD: data: /dev/zero:1: line longer than 1048576 bytes (the limit for one CSV record, CSVOptions.MaxRecordBytes; is this a CSV file?)"
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("child: %v\n%s\nwant a line %s", err, out, want)
	}
}
