package faq

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSynonyms = `# test list
[both]
bhxh = bảo hiểm xã hội
hgđ, hgd = hộ gia đình
[query]
ko, k = không
đc, dc = được
cho em hỏi, ạ, em =
[numbers]
tr, triệu = 1000000 triệu
k, nghìn = 1000 nghìn
đ, đồng = 1 đồng
t, tuổi = 1 tuổi
`

func testIndex(t testing.TB) *Index {
	t.Helper()
	kb, err := Load(os.DirFS("testdata/kb"))
	require.NoError(t, err)
	syn, err := ParseSynonyms("synonyms.txt", []byte(testSynonyms))
	require.NoError(t, err)
	ix, err := NewIndex(kb, syn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func analyze(t *testing.T, ix *Index, analyzer, text string) string {
	t.Helper()
	an := ix.idx.Mapping().AnalyzerNamed(analyzer)
	require.NotNil(t, an, analyzer)
	var terms []string
	for _, tok := range an.Analyze([]byte(text)) {
		terms = append(terms, string(tok.Term))
	}
	return strings.Join(terms, "|")
}

func TestAnalyzers(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		name, analyzer, in, want string
	}{
		{"fold and expand abbreviation", anFoldUniI, "Đóng BHXH", "dong|bao|hiem|xa|hoi"},
		{"NFD input folds", anFoldUniI, "\u0111o\u0301ng", "dong"},
		{"chat spelling only in queries", anFoldUniI, "dc ko", "dc|ko"},
		{"chat spelling in queries", anFoldUniQ, "Cho em hỏi đóng bhxh đc ko ạ", "dong|bao|hiem|xa|hoi|duoc|khong"},
		{"1tr5", anFoldUniQ, "1tr5", "1500000|trieu"},
		{"2tr", anFoldUniQ, "2tr", "2000000|trieu"},
		{"500k", anFoldUniQ, "500k", "500000|nghin"},
		{"1,5 triệu", anFoldUniI, "1,5 triệu", "1500000|trieu"},
		{"1.500.000đ", anFoldUniI, "1.500.000đ", "1500000|dong"},
		{"1.500.000 đồng", anFoldUniI, "1.500.000 đồng", "1500000|dong"},
		{"25t", anFoldUniQ, "em 25t", "25|tuoi"},
		{"decimal kept", anFoldUniI, "4,5%", "4,5"},
		{"plain number", anFoldUniI, "22 năm", "22|nam"},
		{"unknown unit left alone", anFoldUniI, "12abc", "12abc"},
		{"k alone is không", anFoldUniQ, "k", "khong"},
		{"accented keeps diacritics", anAccQ, "Mua BHYT hgđ", "mua|bhyt|mua bhyt|hộ|bhyt hộ|gia|hộ gia|đình|gia đình"},
		{"bigrams after expansion", anFoldQ, "bhxh tn", "bao|hiem|bao hiem|xa|hiem xa|hoi|xa hoi|tn|hoi tn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, analyze(t, ix, tt.analyzer, tt.in))
		})
	}
}

func TestParseSynonymsProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no equals", "bhxh bảo hiểm\n", "synonyms.txt:1: thiếu dấu `=`"},
		{"unknown section", "[foo]\n", `synonyms.txt:1: phần "[foo]" không có`},
		{"punctuation", "\n\nb.h = x\n", `synonyms.txt:3: "b.h": chỉ dùng chữ`},
		{"conflict after folding", "đk = đăng ký\n[query]\ndk = được\n", `synonyms.txt:3: "dk" bỏ dấu thành "dk", đã có ở dòng 1 với nghĩa khác`},
		{"bad unit", "[numbers]\ntr = triệu\n", "synonyms.txt:2: trong [numbers]"},
		{"empty left", " = x\n", "synonyms.txt:1: bên trái dấu = cần"},
		{"outside punctuation", "[outside]\nthuế, xe.máy\n", `synonyms.txt:2: "xe.máy": trong [outside] chỉ viết các cụm từ`},
		// saved in a legacy code page (or not text at all): one problem, not one per line of garbage
		{"not UTF-8", "bhxh = b\xe1o hi\xeam\nbhyt = y t\xea\n\xff\xfe\x00 x\n", "synonyms.txt: tệp không phải UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSynonyms("synonyms.txt", []byte(tt.src))
			got := problemsOf(t, err)
			require.Len(t, got, 1, "%q", got)
			assert.Contains(t, got[0], tt.want)
		})
	}
	syn, err := ParseSynonyms("synonyms.txt", []byte(testSynonyms))
	require.NoError(t, err)
	assert.Equal(t, 9, syn.Len())
}

func TestShippedSynonymsParse(t *testing.T) {
	syn, err := LoadSynonyms(os.DirFS("../content"))
	require.NoError(t, err)
	assert.Greater(t, syn.Len(), 40)
}

func FuzzSynonyms(f *testing.F) {
	f.Add(testSynonyms)
	f.Add("[numbers]\nk = 1000 nghìn\n")
	f.Add("[outside]\nthuế\n[context]\nxe máy, Xe Ô TÔ\n[subject]\nbhxh\n")
	f.Fuzz(func(t *testing.T, src string) {
		syn, err := ParseSynonyms("s.txt", []byte(src))
		if err != nil {
			return
		}
		// Whatever parses must build working analyzers.
		kb, err := Load(os.DirFS("testdata/kb"))
		if err != nil {
			t.Fatal(err)
		}
		ix, err := NewIndex(kb, syn)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		// And a search through every list ([outside], [context], [subject]).
		for _, q := range []string{"chạy xe máy đóng bhxh bao nhiêu", "thue xe o to", src} {
			if _, err := ix.Search(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		}
	})
}
