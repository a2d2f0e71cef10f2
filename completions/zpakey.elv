
use builtin;
use str;

set edit:completion:arg-completer[zpakey] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'zpakey'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'zpakey'= {
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand get 'Show one key''s metadata (never the key itself)'
            cand list 'List keys of every type (or the types given), every page, sorted by type, name and id'
            cand reveal 'Print a key''s value, and nothing else, for a deploy script or a file'
            cand check 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail'
            cand exec 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command''s output'
            cand inject 'Fill in a template''s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written'
            cand auth 'Check the sign-in settings: where each came from, and whether ZPA accepts them'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zpakey;get'= {
            cand --id 'The key''s id (digits only)'
            cand --name 'The key''s exact name (case-sensitive unless --ignore-case)'
            cand --type 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched'
            cand --field 'Print only this field of the JSON object, as plain text (strings bare, others as JSON)'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --ignore-case 'Match --name without regard to case'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;list'= {
            cand --type 'Only these association types (repeatable, or comma-separated): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter'
            cand --search 'Only keys whose name contains TEXT, ignoring case'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;reveal'= {
            cand --id 'The key''s id (digits only)'
            cand --name 'The key''s exact name (case-sensitive unless --ignore-case)'
            cand --type 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched'
            cand --out-file 'Write to this file (atomically, mode from --file-mode) instead of stdout'
            cand --file-mode 'The --out-file''s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused'
            cand --min-remaining 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)'
            cand --valid-for 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --ignore-case 'Match --name without regard to case'
            cand -n 'Do not print a newline after the key'
            cand --no-newline 'Do not print a newline after the key'
            cand --force 'Replace an existing --out-file (only ever a regular file)'
            cand --allow-unusable 'Reveal a key even if it is disabled, used up, expired or short of the health options'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;check'= {
            cand --id 'Check this key (digits only). Without --id or --name, every enabled key is checked'
            cand --name 'Check the key with this exact name (case-sensitive unless --ignore-case)'
            cand --type 'Only these association types (repeatable, or comma-separated; one with --id or --name): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter'
            cand --min-remaining 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)'
            cand --valid-for 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --ignore-case 'Match --name without regard to case'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;exec'= {
            cand --id 'The key''s id (digits only)'
            cand --name 'The key''s exact name (case-sensitive unless --ignore-case)'
            cand --type 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched'
            cand --env 'The environment variable the command finds the key in'
            cand --min-remaining 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)'
            cand --valid-for 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --ignore-case 'Match --name without regard to case'
            cand --no-masking 'Connect the command''s stdout and stderr directly instead of masking the key in them (for interactive programs that need a terminal)'
            cand --allow-unusable 'Hand over a key even if it is disabled, used up, expired or short of the health options'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;inject'= {
            cand -i 'Read the template from FILE instead of stdin'
            cand --in-file 'Read the template from FILE instead of stdin'
            cand --file-mode 'The --out-file''s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused'
            cand --min-remaining 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)'
            cand --valid-for 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)'
            cand --out-file 'Write to FILE (atomically, mode from --file-mode) instead of stdout; after `inject`, -o FILE means the same'
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --force 'Replace an existing --out-file (only ever a regular file)'
            cand --allow-unusable 'Fill in keys even if they are disabled, used up, expired or short of the health options'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;auth'= {
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand status 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zpakey;auth;status'= {
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;auth;help'= {
            cand status 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zpakey;auth;help;status'= {
        }
        &'zpakey;auth;help;help'= {
        }
        &'zpakey;completions'= {
            cand -o 'Output format: a table for people or JSON for scripts'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --microtenant-id 'Work inside this microtenant: sends `microtenantId` on every call'
            cand --cloud 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD'
            cand --api-url 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)'
            cand --auth-url 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint'
            cand --timeout 'Give up on a single request after this many seconds'
            cand --max-wait 'Spend at most this many seconds retrying: on failed attempts and the waits between them'
            cand --profile 'Read settings from this profile of the config file'
            cand --color 'When to use colour'
            cand --legacy 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
            cand --token-cache 'Keep the access token in a private cache file and reuse it across runs'
            cand --no-input 'Never prompt; fail with the documented exit code instead'
            cand -v 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zpakey;help'= {
            cand get 'Show one key''s metadata (never the key itself)'
            cand list 'List keys of every type (or the types given), every page, sorted by type, name and id'
            cand reveal 'Print a key''s value, and nothing else, for a deploy script or a file'
            cand check 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail'
            cand exec 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command''s output'
            cand inject 'Fill in a template''s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written'
            cand auth 'Check the sign-in settings: where each came from, and whether ZPA accepts them'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zpakey;help;get'= {
        }
        &'zpakey;help;list'= {
        }
        &'zpakey;help;reveal'= {
        }
        &'zpakey;help;check'= {
        }
        &'zpakey;help;exec'= {
        }
        &'zpakey;help;inject'= {
        }
        &'zpakey;help;auth'= {
            cand status 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime'
        }
        &'zpakey;help;auth;status'= {
        }
        &'zpakey;help;completions'= {
        }
        &'zpakey;help;help'= {
        }
    ]
    $completions[$command]
}
