package job_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/data"
	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/job"
	"github.com/descent-ml/descent/modelfile"
	"github.com/descent-ml/descent/nn"
	"github.com/descent-ml/descent/optimizers"
	"github.com/descent-ml/descent/train"
)

// ResNet is a small residual convolutional network for 8×8 images: a stem
// convolution, a residual block, pooling and a linear classifier. Its
// configuration is its exported fields; registered, it saves, loads and
// appears in the layer grammar (resnet(8)) like a built-in layer.
type ResNet struct {
	Channels int `arg:"channels,pos,req"`
}

func (r *ResNet) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	conv := func() nn.Module {
		return &nn.Conv2d{OutChannels: r.Channels, KernelSize: nn.Pair{3, 3}, Padding: nn.Pair{1, 1}}
	}
	net := nn.Seq(
		conv(), &nn.ReLU{},
		&nn.Residual{Body: nn.Seq(conv(), &nn.ReLU{}, conv())}, &nn.ReLU{},
		&nn.MaxPool2d{KernelSize: nn.Pair{2, 2}}, &nn.Flatten{}, &nn.Linear{OutFeatures: 10},
	)
	return net.Forward(s, x)
}

func init() {
	if err := nn.Register(nn.Layer{Name: "resnet", Doc: "a small residual conv net", New: func() nn.Module { return &ResNet{} }}); err != nil {
		panic(err)
	}
}

// Example_module trains a user's own module on the digits, saves it, loads
// it back and predicts with it: the same calls `descent train` and
// `descent predict` make.
func Example_module() {
	ds, err := data.Builtin("digits") // 1797 images, Shape 1×8×8
	if err != nil {
		fmt.Println(err)
		return
	}
	j := &job.Job{Data: ds, Module: &ResNet{Channels: 8}, Standardize: true, ValSplit: 0.2,
		Optimizer: optimizers.Config{Name: "adam", LR: 0.01}, Loop: train.Config{Epochs: 4, BatchSize: 64, Seed: 1}}
	out, err := j.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss %s (%s)\n", out.Loss, out.LossReason)
	fmt.Printf("validation accuracy above 95%%: %v\n", *out.ValMetrics.Accuracy > 0.95)

	path := filepath.Join(os.TempDir(), "resnet-example.json")
	defer os.Remove(path)
	if err := out.File.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	f, err := modelfile.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := modelfile.Predict(f, ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := f.Model.Model()
	if err != nil {
		fmt.Println(err)
		return
	}
	c, prob := p.Class(0)
	fmt.Printf("saved as module %s %+v; the first image is a %d (probability above 0.9: %v)\n", f.Model.Module, m, c, prob > 0.9)
	// Output:
	// loss xent (the target "digit" holds integer class labels 0..9; pass --loss mse for a regression)
	// validation accuracy above 95%: true
	// saved as module resnet &{Channels:8}; the first image is a 0 (probability above 0.9: true)
}
