package agents

import (
	"github.com/bhxh-tn/bhxhbot/bot/agents/agentstest"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

func loadReal(t testing.TB) *Directory {
	t.Helper()
	d, err := LoadDirectory(content.FS())
	require.NoError(t, err)
	return d
}

func TestLoadDirectory_shippedContent(t *testing.T) {
	d := loadReal(t)
	require.Len(t, d.Provinces, 34, "34 provincial units since 01/07/2025")
	former := 0
	for _, p := range d.Provinces {
		former += len(p.Former)
	}
	assert.Equal(t, 63, former, "the 63 former provinces each map to exactly one new one")
	for _, id := range []string{"quang-ngai", "nghe-an", "hai-phong", "hung-yen", "an-giang"} {
		n := len(d.AgentsIn(id))
		assert.True(t, n >= 3 && n <= 6, "%s has %d sample agents, want 3–6", id, n)
	}
	for _, a := range d.Agents {
		assert.True(t, a.Sample, "%s: shipped agents are sample data", a.ID)
		assert.True(t, strings.HasPrefix(a.Name, "[MẪU]"), a.ID)
		assert.Contains(t, a.Phone[4:7], "000", "%s: sample phones use the unassigned 000 subscriber block", a.ID)
		p, ok := d.Province(a.ProvinceID)
		require.True(t, ok)
		// Roughly right: within 250 km of another agent of the same province.
		for _, b := range d.AgentsIn(p.ID) {
			assert.Less(t, DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon), 250.0, "%s–%s", a.ID, b.ID)
		}
	}
	assert.True(t, d.HasSample())
}

// The first commune listed is where the agent sits (the ordering of agents
// serving a commune depends on it): the sample address must say the same.
func TestLoadDirectory_sampleSeatMatchesAddress(t *testing.T) {
	for _, a := range loadReal(t).Agents {
		seat := PlaceKey(a.Communes[0].Name)
		assert.Contains(t, PlaceKey(a.Address), seat, "%s: address %q, first commune %q", a.ID, a.Address, a.Communes[0].Name)
	}
}

const header = agentstest.Header

func testFS(rows string) fstest.MapFS { return agentstest.FS(rows) }

func TestAgentstestPaths(t *testing.T) {
	assert.Equal(t, PlacesFile, agentstest.PlacesFile)
	assert.Equal(t, AgentsFile, agentstest.AgentsFile)
}

func TestLoadDirectory_problems(t *testing.T) {
	good := `a1,Bưu điện Thái Thụy,buu-dien,hung-yen,xã Thái Thụy|huyện Thái Thụy,Số 1,0227 000 0401,T2-T6 07:00-11:30,20.56,106.56,-100,true,false` + "\n"
	cases := []struct {
		name, row, want string
	}{
		{"bad phone", strings.Replace(good, "0227 000 0401", "12345", 1), "agents/agents.csv:2: phone"},
		{"coordinates outside Vietnam", strings.Replace(good, "20.56,106.56", "48.85,2.35", 1), "agents/agents.csv:2: toạ độ"},
		{"NaN coordinates", strings.Replace(good, "20.56,106.56", "NaN,NaN", 1), "lat/lon"},
		{"swapped coordinates", strings.Replace(good, "20.56,106.56", "106.56,20.56", 1), "ngoài Việt Nam"},
		{"unknown province", strings.Replace(good, "hung-yen", "thai-binh", 1), `agents/agents.csv:2: tỉnh "thai-binh" không có`},
		{"unknown kind", strings.Replace(good, "buu-dien", "ngan-hang", 1), `kind "ngan-hang"`},
		{"bad hours", strings.Replace(good, "T2-T6 07:00-11:30", "sáng thứ hai", 1), "agents/agents.csv:2: hours"},
		{"hours backwards", strings.Replace(good, "07:00-11:30", "11:30-07:00", 1), "hours"},
		{"no communes", strings.Replace(good, "xã Thái Thụy|huyện Thái Thụy", "", 1), "communes"},
		{"sample without marker", strings.Replace(good, "true,false", "true,true", 1), "[MẪU]"},
		{"bad chat id", strings.Replace(good, "-100", "nhom", 1), "telegram_chat_id"},
		{"duplicate id", good + strings.Replace(good, "Số 1", "Số 2", 1), `agents/agents.csv:3: id "a1" trùng với dòng 2`},
		{"bad id", strings.Replace(good, "a1", "A 1", 1), "id"},
		{"broken quote", `a1,"Bưu điện,buu-dien` + "\n", "agents/agents.csv"},
		// The first row has another problem: the duplicate is still named.
		{"duplicate id of a bad row", strings.Replace(good, "0227 000 0401", "12345", 1) + good, `agents/agents.csv:3: id "a1" trùng với dòng 2`},
		// A row cut short (a lost comma, a line break in a cell) is one
		// clear message, not a column of "missing" ones.
		{"short row", "a2,Bưu điện Diêm Điền,buu-dien\n", "agents/agents.csv:2: dòng này có 3 ô, cần 13"},
		// A vertical tab pasted from Word would reach the agent's card.
		{"control character", strings.Replace(good, "Số 1", "Số\v1", 1), "agents/agents.csv:2: ký tự điều khiển U+000B"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadDirectory(testFS(c.row))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			if c.name == "short row" {
				assert.Equal(t, 1, strings.Count(err.Error(), "\n")+1, "one message: %s", err)
			}
		})
	}
	t.Run("good row loads", func(t *testing.T) {
		d, err := LoadDirectory(testFS(good))
		require.NoError(t, err)
		a, ok := d.Agent("a1")
		require.True(t, ok)
		assert.Equal(t, "02270000401", a.Phone)
		assert.Equal(t, int64(-100), a.ChatID)
	})
	t.Run("inactive rows are skipped", func(t *testing.T) {
		d, err := LoadDirectory(testFS(strings.Replace(good, "true,false", "false,false", 1)))
		require.NoError(t, err)
		assert.Empty(t, d.Agents)
	})
	t.Run("BOM and spreadsheet header case", func(t *testing.T) {
		fs := testFS(good)
		fs[AgentsFile].Data = append([]byte("\ufeff"), []byte(strings.ToUpper(header[:2])+header[2:]+good)...)
		_, err := LoadDirectory(fs)
		require.NoError(t, err)
	})
	t.Run("semicolons and decimal commas from a Vietnamese Excel", func(t *testing.T) {
		fs := testFS("")
		fs[AgentsFile].Data = []byte(strings.ReplaceAll(header, ",", ";") +
			`a1;Bưu điện Thái Thụy;buu-dien;hung-yen;"xã Thái Thụy|huyện Thái Thụy;xã Đông Thụy Anh";Số 1, thôn 2;0227 000 0401;"T2-T6 07:00-11:30,13:30-17:00";20,56;106,56;;true;false` + "\r\n")
		d, err := LoadDirectory(fs)
		require.NoError(t, err)
		a, ok := d.Agent("a1")
		require.True(t, ok)
		assert.InDelta(t, 20.56, a.Lat, 1e-9)
		assert.InDelta(t, 106.56, a.Lon, 1e-9)
		assert.Len(t, a.Communes, 2)
		assert.Equal(t, "Số 1, thôn 2", a.Address)
	})
	t.Run("missing column", func(t *testing.T) {
		fs := testFS("")
		fs[AgentsFile].Data = []byte("id,name\n")
		_, err := LoadDirectory(fs)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `agents/agents.csv:1: thiếu cột "kind"`)
	})
	t.Run("not UTF-8", func(t *testing.T) {
		fs := testFS("")
		fs[AgentsFile].Data = []byte(header + "a1,B\xe6u\n")
		_, err := LoadDirectory(fs)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "UTF-8")
	})
}

func TestLoadPlaces_problems(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"duplicate id", "source: x\nprovinces:\n  - {id: a, name: A, kind: tỉnh, former: [A], office: {name: O}}\n  - {id: a, name: B, kind: tỉnh, former: [B], office: {name: O}}\n", `places/provinces.yaml:4: id "a" trùng với dòng 3`},
		{"name used twice", "source: x\nprovinces:\n  - {id: a, name: A, kind: tỉnh, former: [C], office: {name: O}}\n  - {id: b, name: B, kind: tỉnh, former: [C], office: {name: O}}\n", `đã dùng cho a`},
		{"bad kind", "source: x\nprovinces:\n  - {id: a, name: A, kind: huyện, former: [A], office: {name: O}}\n", "kind"},
		{"no source", "provinces:\n  - {id: a, name: A, kind: tỉnh, former: [A], office: {name: O}}\n", "source"},
		{"not yaml", "provinces: [", "YAML"},
		{"control character", "source: x\nprovinces:\n  - {id: a, name: A\fB, kind: tỉnh, former: [A], office: {name: O}}\n", "places/provinces.yaml:3: ký tự điều khiển"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadPlaces(fstest.MapFS{PlacesFile: {Data: []byte(c.yaml)}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func FuzzLoadDirectory(f *testing.F) {
	f.Add(`a1,Bưu điện,buu-dien,hung-yen,xã Thái Thụy|huyện Thái Thụy,Số 1,0227 000 0401,T2-T6 07:00-11:30,20.56,106.56,-100,true,false`)
	f.Add(`a1,"x""y",ubnd-xa,an-giang,;;|,,+84 912 345 678,CN 00:00-24:00; T2-CN 1:00-2:00,NaN,Inf,,x,`)
	f.Add("\"unterminated\n,,,\n")
	f.Fuzz(func(t *testing.T, rows string) {
		d, err := LoadDirectory(testFS(rows))
		if err != nil {
			var p *Problems
			if assert.ErrorAs(t, err, &p) {
				for _, pr := range p.List {
					assert.True(t, strings.HasPrefix(pr.String(), AgentsFile), pr.String())
				}
			}
			return
		}
		for _, a := range d.Agents {
			assert.True(t, a.Lat >= minLat && a.Lat <= maxLat && a.Lon >= minLon && a.Lon <= maxLon)
			d.FindCommune(a.ProvinceID, a.Name)
		}
	})
}

func TestLint(t *testing.T) {
	assert.NoError(t, Lint(content.FS()))
	assert.NoError(t, Lint(fstest.MapFS{"faq/x.md": {}}), "nothing to check")
	err := Lint(fstest.MapFS{AgentsFile: {Data: []byte(header)}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), PlacesFile)
	err = Lint(testFS(`a1,X,buu-dien,hung-yen,xã A,Số 1,123,T2 07:00-08:00,20.5,106.5,,true,false` + "\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "agents/agents.csv:2: phone")
}

func BenchmarkLoadDirectory(b *testing.B) {
	fsys := content.FS()
	for b.Loop() {
		if _, err := LoadDirectory(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// Every sample agent is reached from its own point and by every name it
// lists (current or former, folded or not): what a person standing there or
// typing their commune would do.
func TestLoadDirectory_everyAgentReachable(t *testing.T) {
	d := loadReal(t)
	for _, a := range d.Agents {
		near := d.Nearest(a.Lat, a.Lon, MaxAgents)
		require.NotEmpty(t, near)
		assert.Less(t, near[0].Km, 0.5, "%s: the nearest agent from its own point is %s", a.ID, near[0].ID)
		for _, cn := range a.Communes {
			for _, name := range append([]string{cn.Name}, cn.Aliases...) {
				for _, typed := range []string{name, vitext.Fold(name)} {
					found := false
					for _, m := range d.FindCommune("", typed) {
						found = found || containsAgent(m.Agents, a)
					}
					if !found {
						// A name that is also a province's asks for the commune there first.
						if p, ok := d.FindProvince(typed); ok && p.ID == a.ProvinceID {
							found = true
						}
					}
					assert.True(t, found, "%s: %q does not find it", a.ID, typed)
				}
			}
		}
	}
}

// A file missing or unreadable is a problem of that file, in the words of
// the other problems, never a Go error ("handoff: open
// places/provinces.yaml: no such file or directory" was shown to staff).
func TestLint_missingOrEmptyFiles(t *testing.T) {
	full := testFS("")
	noPlaces := fstest.MapFS{AgentsFile: full[AgentsFile]}
	noAgents := fstest.MapFS{PlacesFile: full[PlacesFile]}
	emptyAgents := fstest.MapFS{PlacesFile: full[PlacesFile], AgentsFile: {Data: nil}}
	placesDir := fstest.MapFS{AgentsFile: full[AgentsFile], PlacesFile + "/x": {}}
	for _, c := range []struct {
		name string
		fsys fs.FS
		want string
	}{
		{"provinces missing", noPlaces, "places/provinces.yaml: không có tệp này trong thư mục nội dung"},
		{"agents missing", noAgents, "agents/agents.csv: không có tệp này trong thư mục nội dung"},
		{"agents empty", emptyAgents, "agents/agents.csv:1: tệp trống: dòng đầu phải là tiêu đề id,name,"},
		{"provinces a directory", placesDir, "places/provinces.yaml: không đọc được tệp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Lint(c.fsys)
			require.Error(t, err)
			var probs *Problems
			require.ErrorAs(t, err, &probs, "reported as file problems")
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "no such file")
			assert.NotContains(t, err.Error(), "EOF")
		})
	}
}
