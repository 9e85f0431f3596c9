package config

import "testing"

func TestCleanValue(t *testing.T) {
	for in, want := range map[string]string{
		"false      # 强制非流式响应":            "false",
		"4000\t; comment":                 "4000",
		"auto_generated_key  # 首次运行时自动生成": "auto_generated_key",
		"# only a comment":                "",
		"; only a comment":                "",
		"s3cret#pass;word":                "s3cret#pass;word",
		"https://host/path#frag":          "https://host/path#frag",
		"pass#word # comment":             "pass#word",
		`"my # phrase"  # comment`:        "my # phrase",
		`'a ; b'`:                         "a ; b",
		`"quoted"`:                        "quoted",
		`"a" and more`:                    `"a" and more`,
		`"a"#not-a-comment`:               `"a"#not-a-comment`,
		`"unterminated # x`:               `"unterminated`,
		"  spaced value  ":                "spaced value",
		"xai.grok-3  ":                    "xai.grok-3",
	} {
		if got := cleanValue(in); got != want {
			t.Errorf("cleanValue(%q) = %q, want %q", in, got, want)
		}
	}
}
