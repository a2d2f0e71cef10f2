
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'zpakey' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'zpakey'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'zpakey' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one key''s metadata (never the key itself)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys of every type (or the types given), every page, sorted by type, name and id')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Print a key''s value, and nothing else, for a deploy script or a file')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command''s output')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Fill in a template''s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Check the sign-in settings: where each came from, and whether ZPA accepts them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zpakey;get' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The key''s id (digits only)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The key''s exact name (case-sensitive unless --ignore-case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field of the JSON object, as plain text (strings bare, others as JSON)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Match --name without regard to case')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;list' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only these association types (repeatable, or comma-separated): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only keys whose name contains TEXT, ignoring case')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;reveal' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The key''s id (digits only)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The key''s exact name (case-sensitive unless --ignore-case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched')
            [CompletionResult]::new('--out-file', '--out-file', [CompletionResultType]::ParameterName, 'Write to this file (atomically, mode from --file-mode) instead of stdout')
            [CompletionResult]::new('--file-mode', '--file-mode', [CompletionResultType]::ParameterName, 'The --out-file''s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused')
            [CompletionResult]::new('--min-remaining', '--min-remaining', [CompletionResultType]::ParameterName, 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Match --name without regard to case')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Do not print a newline after the key')
            [CompletionResult]::new('--no-newline', '--no-newline', [CompletionResultType]::ParameterName, 'Do not print a newline after the key')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out-file (only ever a regular file)')
            [CompletionResult]::new('--allow-unusable', '--allow-unusable', [CompletionResultType]::ParameterName, 'Reveal a key even if it is disabled, used up, expired or short of the health options')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;check' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Check this key (digits only). Without --id or --name, every enabled key is checked')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Check the key with this exact name (case-sensitive unless --ignore-case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only these association types (repeatable, or comma-separated; one with --id or --name): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter')
            [CompletionResult]::new('--min-remaining', '--min-remaining', [CompletionResultType]::ParameterName, 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Match --name without regard to case')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;exec' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'The key''s id (digits only)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The key''s exact name (case-sensitive unless --ignore-case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment variable the command finds the key in')
            [CompletionResult]::new('--min-remaining', '--min-remaining', [CompletionResultType]::ParameterName, 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Match --name without regard to case')
            [CompletionResult]::new('--no-masking', '--no-masking', [CompletionResultType]::ParameterName, 'Connect the command''s stdout and stderr directly instead of masking the key in them (for interactive programs that need a terminal)')
            [CompletionResult]::new('--allow-unusable', '--allow-unusable', [CompletionResultType]::ParameterName, 'Hand over a key even if it is disabled, used up, expired or short of the health options')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;inject' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Read the template from FILE instead of stdin')
            [CompletionResult]::new('--in-file', '--in-file', [CompletionResultType]::ParameterName, 'Read the template from FILE instead of stdin')
            [CompletionResult]::new('--file-mode', '--file-mode', [CompletionResultType]::ParameterName, 'The --out-file''s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused')
            [CompletionResult]::new('--min-remaining', '--min-remaining', [CompletionResultType]::ParameterName, 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)')
            [CompletionResult]::new('--out-file', '--out-file', [CompletionResultType]::ParameterName, 'Write to FILE (atomically, mode from --file-mode) instead of stdout; after `inject`, -o FILE means the same')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out-file (only ever a regular file)')
            [CompletionResult]::new('--allow-unusable', '--allow-unusable', [CompletionResultType]::ParameterName, 'Fill in keys even if they are disabled, used up, expired or short of the health options')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;auth' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zpakey;auth;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;auth;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zpakey;auth;help;status' {
            break
        }
        'zpakey;auth;help;help' {
            break
        }
        'zpakey;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--microtenant-id', '--microtenant-id', [CompletionResultType]::ParameterName, 'Work inside this microtenant: sends `microtenantId` on every call')
            [CompletionResult]::new('--cloud', '--cloud', [CompletionResultType]::ParameterName, 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Send API requests to this base URL instead of the cloud''s (https, or http to loopback)')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Fetch OneAPI tokens from this URL instead of the vanity domain''s token endpoint')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a single request after this many seconds')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Spend at most this many seconds retrying: on failed attempts and the waits between them')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read settings from this profile of the config file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI')
            [CompletionResult]::new('--token-cache', '--token-cache', [CompletionResultType]::ParameterName, 'Keep the access token in a private cache file and reuse it across runs')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with the documented exit code instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zpakey;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one key''s metadata (never the key itself)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys of every type (or the types given), every page, sorted by type, name and id')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Print a key''s value, and nothing else, for a deploy script or a file')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command''s output')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Fill in a template''s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Check the sign-in settings: where each came from, and whether ZPA accepts them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zpakey;help;get' {
            break
        }
        'zpakey;help;list' {
            break
        }
        'zpakey;help;reveal' {
            break
        }
        'zpakey;help;check' {
            break
        }
        'zpakey;help;exec' {
            break
        }
        'zpakey;help;inject' {
            break
        }
        'zpakey;help;auth' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token''s lifetime')
            break
        }
        'zpakey;help;auth;status' {
            break
        }
        'zpakey;help;completions' {
            break
        }
        'zpakey;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
