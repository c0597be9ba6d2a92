// Package faq is the knowledge base: FAQ entries written by staff in markdown
// (loading and validation), their rendering to Telegram HTML and plain text,
// and a bleve index with analysis made for Vietnamese as typed on phones that
// turns a question into a decision: answer, clarify or none.
package faq

import "time"

// Entry is one FAQ entry: one markdown file under content/faq.
type Entry struct {
	ID         string    // stable slug, also the file name without .md
	Topic      string    // one slug of content/topics.yaml
	Question   string    // the canonical question in plain words
	Alternates []string  // other phrasings: unaccented, abbreviated, chat-style
	Tags       []string  // keywords and aliases
	Related    []string  // ids of related entries
	Sources    []string  // legal basis, e.g. "Luật BHXH 41/2024/QH15, Điều 36"
	Reviewed   time.Time // date a person last checked the entry against the law
	Body       string    // the answer, markdown subset; may name amounts ({{vsi.floor}})
	File       string    // path of the file inside the content FS, for messages
	BodyLine   int       // file line where Body starts, for messages

	tagLines []int // line of each tag in File
}

// Decision is what the bot should do with a search result.
type Decision string

const (
	// DecisionAnswer: the top hit is confident enough to send as the answer.
	DecisionAnswer Decision = "answer"
	// DecisionClarify: two or three close candidates to offer as buttons.
	DecisionClarify Decision = "clarify"
	// DecisionNone: off-topic or too weak; say so honestly.
	DecisionNone Decision = "none"
)

// Hit is one ranked search result.
type Hit struct {
	Entry   *Entry
	Score   float64 // the ranking score: the topic model's probability mixed with BM25 (see rankByTopic); BM25 alone for the baseline
	Explain string  // bleve's score explanation (JSON), only with SearchOptions.Explain
}

// Result is the outcome of Search: ranked hits and a decision. For
// DecisionAnswer the answer is Hits[0]; for DecisionClarify the choices are
// Hits[:Choices]; for DecisionNone Hits may still hold weak candidates (for
// staff tools), but the bot must not present them as the answer.
type Result struct {
	Query    string
	Decision Decision
	Choices  int // number of hits to offer when Decision is clarify (2 or 3)
	Hits     []Hit
	Cleaned  string  // the question as searched: its asking sentences, no emoji, URLs, extra spaces
	Signals  Signals // what the decision was based on (for faqctl ask --explain)
	// Also are the answers to other questions the same message asked
	// ("Bạn cũng hỏi: …"), at most two, on topics the result does not cover.
	Also []Hit
	// Personal lists the kinds of personal numbers the message held
	// (PersonalID, PersonalSI, PersonalPhone, PersonalCard, PersonalOther):
	// they were left out of the search, and the bot should say it cannot
	// look up anyone's records.
	Personal []string

	probs []float64 // the topic model's class probabilities for the whole message (nil without the model)
}
