package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The words a command takes after it, where they are a fixed list.
var completionWords = map[string][]string{
	"mapping":    {"list", "show", "suggest"},
	"completion": {"bash", "zsh", "fish"},
	"gen":        {"state", "roster"},
}

// subcommands lists the commands whose words are commands of their own,
// each with its flags: completion offers the flags of all of them.
var subcommands = map[string]bool{"gen": true}

// completionCmd is what completion knows of a command.
type completionCmd struct {
	name, summary string
	flags         []completionFlag
	words         []string
}

// completionFlag is one flag of a command.
type completionFlag struct {
	name, usage string
	value       bool // takes a value (--db FILE); false for a switch (--yes)
}

// completionCmds reads every command's flags from the flag set it makes
// when asked for its help, so completion never lists a flag a command does
// not have.
func completionCmds(ctx context.Context) []completionCmd {
	var out []completionCmd
	names := []string{}
	for _, c := range commands() {
		names = append(names, c.name)
		cc := completionCmd{name: c.name, summary: c.summary, words: completionWords[c.name]}
		var sets []*flag.FlagSet
		e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
			onFlags: func(fs *flag.FlagSet) { sets = append(sets, fs) }}
		c.run(ctx, e, []string{"--help"})
		if subcommands[c.name] {
			for _, sub := range cc.words {
				c.run(ctx, e, []string{sub, "--help"})
			}
		}
		seen := map[string]bool{}
		for _, fs := range sets {
			fs.VisitAll(func(f *flag.Flag) {
				if seen[f.Name] {
					return
				}
				seen[f.Name] = true
				b, ok := f.Value.(interface{ IsBoolFlag() bool })
				cc.flags = append(cc.flags, completionFlag{name: f.Name, usage: firstLine(f.Usage), value: !ok || !b.IsBoolFlag()})
			})
		}
		sort.Slice(cc.flags, func(i, j int) bool { return cc.flags[i].name < cc.flags[j].name })
		out = append(out, cc)
	}
	out = append(out, completionCmd{name: "help", summary: "show the help of pbxsync or of a command", words: names})
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func runCompletionCmd(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "completion", "bash | zsh | fish", `
Prints a script that completes pbxsync's commands and their flags in a
shell (file names where a command takes a file).

  bash  source it from ~/.bashrc, or install it as a completion file:
          pbxsync completion bash > /etc/bash_completion.d/pbxsync
  zsh   put it in a directory of your $fpath as _pbxsync:
          pbxsync completion zsh > "${fpath[1]}/_pbxsync"
        or, without installing, in ~/.zshrc: source <(pbxsync completion zsh)
  fish  pbxsync completion fish > ~/.config/fish/completions/pbxsync.fish`)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 1, "a shell: bash, zsh or fish") {
		return exitFatal
	}
	cmds := completionCmds(ctx)
	var err error
	switch pos[0] {
	case "bash":
		err = writeBashCompletion(e.stdout, cmds)
	case "zsh":
		err = writeZshCompletion(e.stdout, cmds)
	case "fish":
		err = writeFishCompletion(e.stdout, cmds)
	default:
		fmt.Fprintf(e.stderr, "pbxsync completion: no completion for %q; give bash, zsh or fish\n", pos[0])
		return exitFatal
	}
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}

func writeBashCompletion(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# bash completion for pbxsync: source <(pbxsync completion bash)\n")
	b.WriteString("_pbxsync() {\n")
	b.WriteString("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
	b.WriteString("    if [[ $COMP_CWORD -eq 1 ]]; then\n")
	names := make([]string, 0, len(cmds))
	for _, c := range cmds {
		names = append(names, c.name)
	}
	fmt.Fprintf(&b, "        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n", strings.Join(names, " ")+" --version --help")
	b.WriteString("        return\n    fi\n")
	b.WriteString("    local flags=\"\" values=\"\" words=\"\"\n")
	b.WriteString("    case \"${COMP_WORDS[1]}\" in\n")
	for _, c := range cmds {
		var flags, values []string
		for _, f := range c.flags {
			flags = append(flags, "--"+f.name)
			if f.value {
				values = append(values, "--"+f.name)
			}
		}
		fmt.Fprintf(&b, "    %s) flags=%q; values=%q; words=%q ;;\n", c.name,
			strings.Join(append(flags, "--help"), " "), " "+strings.Join(values, " ")+" ", strings.Join(c.words, " "))
	}
	b.WriteString("    esac\n")
	b.WriteString("    if [[ \"$cur\" == -* ]]; then\n")
	b.WriteString("        COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    if [[ \"$prev\" == -* && \"$values\" == *\" $prev \"* ]]; then\n")
	b.WriteString("        COMPREPLY=($(compgen -f -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    if [[ -n \"$words\" && $COMP_CWORD -eq 2 ]]; then\n")
	b.WriteString("        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    COMPREPLY=($(compgen -f -- \"$cur\"))\n")
	b.WriteString("}\n")
	b.WriteString("complete -o filenames -o bashdefault -F _pbxsync pbxsync\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshQuote quotes s as a zsh single-quoted word.
func zshQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zshDesc makes s a description inside an _arguments spec's brackets.
func zshDesc(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", ":", `\:`).Replace(s)
}

func writeZshCompletion(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("#compdef pbxsync\n# zsh completion for pbxsync: pbxsync completion zsh > \"${fpath[1]}/_pbxsync\"\n\n")
	b.WriteString("_pbxsync() {\n    local -a commands\n    commands=(\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "        %s\n", zshQuote(c.name+":"+c.summary))
	}
	b.WriteString("    )\n    if (( CURRENT == 2 )); then\n        _describe -t commands 'pbxsync command' commands\n        return\n    fi\n")
	b.WriteString("    local cmd=$words[2]\n    shift words\n    (( CURRENT-- ))\n    case $cmd in\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "    %s)\n        _arguments -S \\\n", c.name)
		for _, f := range c.flags {
			spec := "--" + f.name + "[" + zshDesc(f.usage) + "]"
			if f.value {
				spec += ":" + f.name + ":_files"
			}
			fmt.Fprintf(&b, "            %s \\\n", zshQuote(spec))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(&b, "            '1:%s:(%s)' \\\n", c.name, strings.Join(c.words, " "))
		}
		b.WriteString("            '*:file:_files'\n        ;;\n")
	}
	b.WriteString("    esac\n}\n\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _pbxsync \"$@\"\nelse\n    compdef _pbxsync pbxsync\nfi\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func writeFishCompletion(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# fish completion for pbxsync: pbxsync completion fish > ~/.config/fish/completions/pbxsync.fish\n")
	b.WriteString("complete -c pbxsync -f -n __fish_use_subcommand -l version -d 'print the version'\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c pbxsync -f -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	for _, c := range cmds {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			req := ""
			if f.value {
				req = " -r"
			}
			fmt.Fprintf(&b, "complete -c pbxsync -n %s -l %s%s -d %s\n", cond, f.name, req, fishQuote(f.usage))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(&b, "complete -c pbxsync -f -n %s -a %s\n", cond, fishQuote(strings.Join(c.words, " ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
