package agents

import (
	"sort"
)

// Commune is a commune, ward or special zone (xã, phường, đặc khu) that at
// least one agent serves, with every name it is known by.
type Commune struct {
	Name       string   // current official name as the directory writes it
	Aliases    []string // former names and other spellings
	ProvinceID string
	Agents     []*Agent // agents serving it, in file order
	keys       []string // search keys: keys[0] is the current name's
}

// Match is one commune found by FindCommune.
type Match struct {
	*Commune
	Matched string // the name that matched (the current one or an alias)
	Former  bool   // matched through a former name or alias
	Score   int    // 0 exact, 1–2 typos, 3–4 the text has more words
}

func (d *Directory) add(a *Agent) {
	d.Agents = append(d.Agents, a)
	d.byID[a.ID] = a
	list := d.communes[a.ProvinceID]
	for _, cn := range a.Communes {
		key := PlaceKey(cn.Name)
		var c *Commune
		for _, have := range list {
			if have.keys[0] == key {
				c = have
				break
			}
		}
		if c == nil {
			c = &Commune{Name: cn.Name, ProvinceID: a.ProvinceID, keys: []string{key}}
			list = append(list, c)
		}
		for _, al := range cn.Aliases {
			k := PlaceKey(al)
			if !contains(c.keys, k) {
				c.keys = append(c.keys, k)
				c.Aliases = append(c.Aliases, al)
			}
		}
		if !containsAgent(c.Agents, a) {
			c.Agents = append(c.Agents, a)
		}
	}
	d.communes[a.ProvinceID] = list
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAgent(list []*Agent, a *Agent) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// Communes returns the communes served in a province, in file order.
func (d *Directory) Communes(provinceID string) []*Commune { return d.communes[provinceID] }

// FindCommune finds the communes a person means in a province (every
// province when provinceID is ""). The text may carry or omit diacritics and
// prefixes ("xã", "phường", "p.", "tt", "huyện", "TP", "đặc khu"…), use the
// current or a former name, and have typos (one edit from 5 letters, two
// from 9). Matches come best first; only the best score is returned, so one
// match means the answer is clear and several mean "ask which one".
func (d *Directory) FindCommune(provinceID, text string) []Match {
	q := PlaceKey(text)
	if q == "" {
		return nil
	}
	var out []Match
	scan := func(list []*Commune) {
		for _, c := range list {
			best := Match{Score: -1}
			for i, k := range c.keys {
				if s := NameScore(q, k); s >= 0 && (best.Score < 0 || s < best.Score) {
					best = Match{Commune: c, Score: s, Former: i > 0, Matched: c.Name}
					if i > 0 {
						best.Matched = c.Aliases[i-1]
					}
				}
			}
			if best.Score >= 0 {
				out = append(out, best)
			}
		}
	}
	if provinceID != "" {
		scan(d.communes[provinceID])
	} else {
		for _, p := range d.Provinces {
			scan(d.communes[p.ID])
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score < out[j].Score })
	n := 1
	for n < len(out) && out[n].Score == out[0].Score {
		n++
	}
	return out[:n]
}
