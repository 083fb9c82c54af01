package bot

import (
	"errors"
	"strings"
	"testing"
)

func TestLoadHTTPConfig(t *testing.T) {
	const key = "a5f2c5fbd6b8c1b6c1f5a0e1d33e7c0e0b6b7f1e7dd5f4c4b0f1d0c5e3e2a1b0"
	tests := []struct {
		name           string
		env            map[string]string
		addr, admin    string
		wantAddr       string
		wantAdmin      string
		wantErr        string // a part of the message; "" means success
		mustNotMention string
		wantMalformed  bool
	}{
		{name: "from the environment", env: map[string]string{EnvInteractionsAddr: ":8080", EnvPublicKey: key, EnvAdminAddr: "127.0.0.1:9090"},
			wantAddr: ":8080", wantAdmin: "127.0.0.1:9090"},
		{name: "flags win", env: map[string]string{EnvInteractionsAddr: ":8080", EnvPublicKey: " " + key + "\n"}, addr: ":7070", admin: ":7071",
			wantAddr: ":7070", wantAdmin: ":7071"},
		{name: "uppercase hex", env: map[string]string{EnvPublicKey: strings.ToUpper(key)}, addr: ":1", wantAddr: ":1"},
		{name: "no address", env: map[string]string{EnvPublicKey: key}, wantErr: "--http ADDR or INTERACTIONS_ADDR"},
		{name: "bad address", env: map[string]string{EnvPublicKey: key}, addr: "8080", wantErr: "not host:port"},
		{name: "bad admin address", env: map[string]string{EnvPublicKey: key}, addr: ":1", admin: "nope", wantErr: "admin address"},
		{name: "no key", addr: ":1", wantErr: "DISCORD_PUBLIC_KEY is required"},
		{name: "not hex", env: map[string]string{EnvPublicKey: "zz" + key[2:]}, addr: ":1", wantErr: "not valid hex",
			mustNotMention: key[2:], wantMalformed: true},
		{name: "too short", env: map[string]string{EnvPublicKey: key[:62]}, addr: ":1", wantErr: "must be 64 hex digits", wantMalformed: true},
		{name: "too long", env: map[string]string{EnvPublicKey: key + "00"}, addr: ":1", wantErr: "got 66", wantMalformed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadHTTPConfig(func(k string) string { return tt.env[k] }, tt.addr, tt.admin)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
				if tt.mustNotMention != "" && strings.Contains(err.Error(), tt.mustNotMention) {
					t.Errorf("error repeats the value: %q", err)
				}
				if errors.Is(err, errHTTPMalformedKey) != tt.wantMalformed {
					t.Errorf("errors.Is(malformed key) = %v", !tt.wantMalformed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Addr != tt.wantAddr || cfg.AdminAddr != tt.wantAdmin || len(cfg.PublicKey) != 32 {
				t.Errorf("config %+v", cfg)
			}
			if cfg.shutdownTimeout() != DefaultShutdownTimeout {
				t.Errorf("shutdown timeout %v", cfg.shutdownTimeout())
			}
		})
	}
}
