package commands

import (
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestMux(t *testing.T) {
	var m mux
	handler := func(name string) routeFunc {
		return func(*request) *discordgo.InteractionResponse { return notice(name) }
	}
	m.handle("/entry/{id}", handler("entry"))
	m.handle("/entry/{id}/page/{n}", handler("page"))
	m.handle("/share/entry/{id}/page/{n}", handler("share"))
	m.handle("/random/again", handler("again"))
	tests := []struct {
		path, route string
		params      map[string]string
	}{
		{"/entry/buoy", "/entry/{id}", map[string]string{"id": "buoy"}},
		{"/entry/buoy/page/3", "/entry/{id}/page/{n}", map[string]string{"id": "buoy", "n": "3"}},
		{"/share/entry/a%2Fb/page/0", "/share/entry/{id}/page/{n}", map[string]string{"id": "a%2Fb", "n": "0"}},
		{"/random/again", "/random/again", map[string]string{}},
		{"/entry/", "", nil},
		{"/entry/buoy/page", "", nil},
		{"entry/buoy", "", nil},
		{"/random/other", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		r, params, ok := m.match(tt.path)
		if ok != (tt.route != "") || r.pattern != tt.route || (ok && !reflect.DeepEqual(params, tt.params)) {
			t.Errorf("match(%q) = %q %v %v; want %q %v", tt.path, r.pattern, params, ok, tt.route, tt.params)
		}
	}
}
