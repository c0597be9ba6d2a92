package faq

import "github.com/bhxh-tn/bhxhbot/content"

// Problem is one thing wrong with the content, located in a file (see
// content.Problem).
type Problem = content.Problem

// Problems is the error returned by Load: every problem found, not just the
// first, sorted by file and line (see content.Problems).
type Problems = content.Problems
