package agents

import (
	"math"
	"sort"
)

// MaxAgents is how many agents an answer lists.
const MaxAgents = 3

const earthRadiusKm = 6371.0

// DistanceKm is the great-circle (haversine) distance between two points.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Near is an agent with its distance from the point asked about.
type Near struct {
	*Agent
	Km float64 // -1 when unknown (ordered by the directory instead)
}

// Nearest returns up to n active agents nearest to the point, nearest first.
// The point is used for this answer only; nothing keeps it.
func (d *Directory) Nearest(lat, lon float64, n int) []Near {
	if n <= 0 || math.IsNaN(lat) || math.IsNaN(lon) {
		return nil
	}
	out := make([]Near, 0, len(d.Agents))
	for _, a := range d.Agents {
		out = append(out, Near{a, DistanceKm(lat, lon, a.Lat, a.Lon)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Km < out[j].Km })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// ServingAgents returns up to n agents serving a commune, nearest first. The
// commune's own point is the centroid of the agents that sit in it (whose
// first listed commune it is); those come first, then the others by distance
// from that point. With no agent sitting there, the directory order is kept.
func (c *Commune) ServingAgents(n int) []Near {
	var home []*Agent
	for _, a := range c.Agents {
		if len(a.Communes) > 0 && PlaceKey(a.Communes[0].Name) == c.keys[0] {
			home = append(home, a)
		}
	}
	out := make([]Near, 0, len(c.Agents))
	if len(home) == 0 {
		for _, a := range c.Agents {
			out = append(out, Near{a, -1})
		}
	} else {
		var lat, lon float64
		for _, a := range home {
			lat += a.Lat
			lon += a.Lon
		}
		lat /= float64(len(home))
		lon /= float64(len(home))
		for _, a := range c.Agents {
			out = append(out, Near{a, DistanceKm(lat, lon, a.Lat, a.Lon)})
		}
		sort.SliceStable(out, func(i, j int) bool {
			hi, hj := containsAgent(home, out[i].Agent), containsAgent(home, out[j].Agent)
			if hi != hj {
				return hi
			}
			return out[i].Km < out[j].Km
		})
	}
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
