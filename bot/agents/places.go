package agents

import (
	"io/fs"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/content"
)

// PlacesFile is where the province list lives inside the content FS.
const PlacesFile = "places/provinces.yaml"

// Province is one of the 34 provincial units in force since 01/07/2025.
type Province struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Kind    string   `yaml:"kind"` // "tỉnh" or "thành phố"
	Aliases []string `yaml:"aliases"`
	Former  []string `yaml:"former"` // provinces before 01/07/2025 now part of this one
	Seat    string   `yaml:"seat"`
	Office  Office   `yaml:"office"`
	// StaffChatID is the Telegram group of the provincial office that gets lead
	// cards when an agent has no chat or does not answer; 0 when there is none.
	StaffChatID int64 `yaml:"staff_chat_id"`

	line int
	keys []string // search keys of the name, aliases and former names
}

// Office is the provincial BHXH office offered as the fallback contact.
type Office struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"` // "cần xác nhận" when unconfirmed
	Phone   string `yaml:"phone"`   // the national hotline when no confirmed number
}

// Places is the province list with lookups by id and by any name.
type Places struct {
	Source    string
	Provinces []*Province
	byID      map[string]*Province
}

type placesFile struct {
	Source    string      `yaml:"source"`
	Provinces []yaml.Node `yaml:"provinces"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadPlaces reads places/provinces.yaml from fsys. It returns *Problems
// listing every problem with its line, or the file's read error.
func LoadPlaces(fsys fs.FS) (*Places, error) {
	data, err := fs.ReadFile(fsys, PlacesFile)
	if err != nil {
		return nil, content.ReadProblem(PlacesFile, err)
	}
	var probs Problems
	content.CheckControl(PlacesFile, data, &probs)
	if len(probs.List) > 0 {
		return nil, probs.Err()
	}
	var f placesFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		probs.Add(PlacesFile, 0, "YAML không đọc được: %v", err)
		return nil, probs.Err()
	}
	p := &Places{Source: f.Source, byID: map[string]*Province{}}
	if strings.TrimSpace(f.Source) == "" {
		probs.Add(PlacesFile, 0, "thiếu 'source' (văn bản pháp lý làm nguồn)")
	}
	names := map[string]string{} // name key → province id, to catch a name used twice
	for i := range f.Provinces {
		n := &f.Provinces[i]
		var pr Province
		if err := n.Decode(&pr); err != nil {
			probs.Add(PlacesFile, n.Line, "tỉnh không đọc được: %v", err)
			continue
		}
		pr.line = n.Line
		switch {
		case !idPattern.MatchString(pr.ID):
			probs.Add(PlacesFile, n.Line, "id %q phải là chữ thường không dấu và dấu gạch nối", pr.ID)
			continue
		case p.byID[pr.ID] != nil:
			probs.Add(PlacesFile, n.Line, "id %q trùng với dòng %d", pr.ID, p.byID[pr.ID].line)
			continue
		}
		if strings.TrimSpace(pr.Name) == "" {
			probs.Add(PlacesFile, n.Line, "%s: thiếu name", pr.ID)
		}
		if pr.Kind != "tỉnh" && pr.Kind != "thành phố" {
			probs.Add(PlacesFile, n.Line, "%s: kind phải là \"tỉnh\" hoặc \"thành phố\", không phải %q", pr.ID, pr.Kind)
		}
		if len(pr.Former) == 0 {
			probs.Add(PlacesFile, n.Line, "%s: thiếu former (tỉnh cũ trước 01/07/2025)", pr.ID)
		}
		if strings.TrimSpace(pr.Office.Name) == "" {
			probs.Add(PlacesFile, n.Line, "%s: thiếu office.name", pr.ID)
		}
		if pr.Office.Phone == "" {
			pr.Office.Phone = calc.Hotline
		} else if _, err := NormalizePhone(pr.Office.Phone); err != nil {
			probs.Add(PlacesFile, n.Line, "%s: office.phone: %v", pr.ID, err)
		}
		if strings.TrimSpace(pr.Office.Address) == "" {
			pr.Office.Address = "cần xác nhận"
		}
		seen := map[string]bool{}
		for _, name := range append(append([]string{pr.Name}, pr.Aliases...), pr.Former...) {
			k := PlaceKey(name)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			pr.keys = append(pr.keys, k)
			if other, ok := names[k]; ok && other != pr.ID {
				probs.Add(PlacesFile, n.Line, "%s: tên %q đã dùng cho %s", pr.ID, name, other)
			}
			names[k] = pr.ID
		}
		prc := pr
		p.byID[pr.ID] = &prc
		p.Provinces = append(p.Provinces, &prc)
	}
	if len(p.Provinces) == 0 {
		probs.Add(PlacesFile, 0, "không có tỉnh nào")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// Province returns the province with that id.
func (p *Places) Province(id string) (*Province, bool) {
	pr, ok := p.byID[id]
	return pr, ok
}

// FindProvince finds the province a person means by its new name, an alias
// ("HCM", "Sài Gòn") or a former province ("Thái Bình" → Hưng Yên), with or
// without diacritics and prefixes ("tỉnh", "TP"), tolerating typos. It
// returns false when nothing matches or the best matches are ambiguous.
func (p *Places) FindProvince(text string) (*Province, bool) {
	pr, score := p.FindProvinceScore(text)
	return pr, score >= 0
}

// FindProvinceScore is FindProvince with the match score (-1: none or ambiguous).
func (p *Places) FindProvinceScore(text string) (*Province, int) {
	q := PlaceKey(text)
	if q == "" {
		return nil, -1
	}
	best, bestScore, ambiguous := (*Province)(nil), 99, false
	for _, pr := range p.Provinces {
		s := -1
		for _, k := range pr.keys {
			if ks := NameScore(q, k); ks >= 0 && (s < 0 || ks < s) {
				s = ks
			}
		}
		switch {
		case s < 0:
		case s < bestScore:
			best, bestScore, ambiguous = pr, s, false
		case s == bestScore:
			ambiguous = true
		}
	}
	if best == nil || ambiguous {
		return nil, -1
	}
	return best, bestScore
}

// FormerOf says which former provinces (before 01/07/2025) a province
// includes, as text: "Hưng Yên, Thái Bình".
func (pr *Province) FormerOf() string { return strings.Join(pr.Former, ", ") }
