package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/descent-ml/descent/graph"
	"github.com/descent-ml/descent/ops"
)

// Embedding is torch.nn.Embedding: a lookup table of num_embeddings rows
// of embedding_dim values. Its input holds integer ids as numbers, shape
// (batch) or (batch, length); the output appends embedding_dim: (batch,
// embedding_dim) or (batch, length, embedding_dim). The weight
// (num_embeddings, embedding_dim) starts from N(0, 1), torch's default.
// An id that is not an integer in [0, num_embeddings) is an error when
// the batch runs, naming the id and its row.
type Embedding struct {
	NumEmbeddings int `arg:"num_embeddings,pos,req"`
	EmbeddingDim  int `arg:"embedding_dim,pos,req"`
}

var _ Module = (*Embedding)(nil)

const maxEmbedding = 1 << 30

// Validate implements validator.
func (e *Embedding) Validate() error {
	if e.NumEmbeddings <= 0 || e.NumEmbeddings > maxEmbedding {
		return fmt.Errorf("num_embeddings must be in [1, %d], got %d", maxEmbedding, e.NumEmbeddings)
	}
	if e.EmbeddingDim <= 0 || e.EmbeddingDim > maxEmbedding {
		return fmt.Errorf("embedding_dim must be in [1, %d], got %d", maxEmbedding, e.EmbeddingDim)
	}
	return nil
}

// Forward implements Module.
func (e *Embedding) Forward(s *graph.Scope, x *G.Node) (*G.Node, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if d := x.Dims(); d != 1 && d != 2 {
		return nil, fmt.Errorf("embedding needs ids of shape (batch) or (batch, length), got shape %v", x.Shape())
	}
	w, err := s.Param("weight", []int{e.NumEmbeddings, e.EmbeddingDim}, Normal(1))
	if err != nil {
		return nil, err
	}
	return ops.Embedding(x, w)
}
