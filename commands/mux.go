package commands

import (
	"strings"
)

// A mux routes paths like "/entry/{id}/page/{n}" to handlers, in the spirit
// of an HTTP router: literal segments must match exactly, "{name}" segments
// match any non-empty segment and are handed to the handler as parameters.
type mux struct {
	routes []route
}

type route struct {
	pattern string
	segs    []string
	h       routeFunc
}

// handle registers h for pattern. Routes are tried in registration order.
func (m *mux) handle(pattern string, h routeFunc) {
	m.routes = append(m.routes, route{pattern: pattern, segs: splitPath(pattern), h: h})
}

// match finds the route for path and its parameters.
func (m *mux) match(path string) (route, map[string]string, bool) {
	if !strings.HasPrefix(path, "/") {
		return route{}, nil, false
	}
	segs := splitPath(path)
	for _, r := range m.routes {
		if len(r.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for k, s := range r.segs {
			if name, isParam := paramName(s); isParam {
				if segs[k] == "" {
					ok = false
					break
				}
				params[name] = segs[k]
			} else if s != segs[k] {
				ok = false
				break
			}
		}
		if ok {
			return r, params, true
		}
	}
	return route{}, nil, false
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

func paramName(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}
