package agents

import "github.com/bhxh-tn/bhxhbot/content"

// Problem is one thing wrong with the directory content, located in a file
// (see content.Problem).
type Problem = content.Problem

// Problems is the error returned by the loaders: every problem found, sorted
// by file and line (see content.Problems).
type Problems = content.Problems
