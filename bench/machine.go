package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/cpu"

	"github.com/descent-ml/descent/internal/gemm"
)

// Machine describes where a harness run measured: the CPU model and its
// SIMD features, which decide the GEMM micro-kernel, and the Go side.
type Machine struct {
	// CPU is the processor's model name ("AMD EPYC 9…"), from
	// /proc/cpuinfo; "" where it cannot be read.
	CPU string `json:"cpu"`
	// SIMD lists the vector features Descent's kernels can use: SSE4.2,
	// AVX, AVX2, FMA, AVX-512F/DQ/BW/VL.
	SIMD []string `json:"simd"`
	// Kernel is the GEMM micro-kernel in use: avx512, avx2, generic or
	// openblas (gemm.Kernel).
	Kernel string `json:"gemm_kernel"`
	// CPUs is runtime.NumCPU(); GOMAXPROCS the Go scheduler's bound.
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
}

// ThisMachine describes the machine the process runs on.
func ThisMachine() Machine {
	return Machine{CPU: cpuModel(), SIMD: simdFeatures(), Kernel: gemm.Kernel(), CPUs: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}

// String is the machine on one line, as the harness's tables print it.
func (m Machine) String() string {
	cpuName := m.CPU
	if cpuName == "" {
		cpuName = "unknown CPU"
	}
	simd := "no SIMD features detected"
	if len(m.SIMD) > 0 {
		simd = strings.Join(m.SIMD, " ")
	}
	return fmt.Sprintf("%s (%s; GEMM kernel %s), %d CPUs, %s %s/%s, GOMAXPROCS %d",
		cpuName, simd, m.Kernel, m.CPUs, m.Go, m.OS, m.Arch, m.GOMAXPROCS)
}

// cpuModel reads the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// simdFeatures lists the x86 vector features of this CPU that matter to
// Descent's kernels (none on other architectures but arm64's ASIMD).
func simdFeatures() []string {
	var out []string
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	switch runtime.GOARCH {
	case "amd64", "386":
		x := cpu.X86
		add(x.HasSSE42, "SSE4.2")
		add(x.HasAVX, "AVX")
		add(x.HasAVX2, "AVX2")
		add(x.HasFMA, "FMA")
		add(x.HasAVX512F, "AVX-512F")
		add(x.HasAVX512DQ, "AVX-512DQ")
		add(x.HasAVX512BW, "AVX-512BW")
		add(x.HasAVX512VL, "AVX-512VL")
	case "arm64":
		add(cpu.ARM64.HasASIMD, "ASIMD")
		add(cpu.ARM64.HasSVE, "SVE")
	}
	return out
}
