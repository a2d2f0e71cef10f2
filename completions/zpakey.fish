# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_zpakey_global_optspecs
    string join \n o/output= microtenant-id= legacy cloud= api-url= auth-url= timeout= max-wait= token-cache profile= color= no-input v/verbose h/help V/version
end

function __fish_zpakey_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_zpakey_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_zpakey_using_subcommand
    set -l cmd (__fish_zpakey_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c zpakey -n "__fish_zpakey_needs_command" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_needs_command" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_needs_command" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_needs_command" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_needs_command" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_needs_command" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_needs_command" -s V -l version -d 'Print version'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "get" -d 'Show one key\'s metadata (never the key itself)'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "list" -d 'List keys of every type (or the types given), every page, sorted by type, name and id'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "reveal" -d 'Print a key\'s value, and nothing else, for a deploy script or a file'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "check" -d 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "exec" -d 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command\'s output'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "inject" -d 'Fill in a template\'s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "auth" -d 'Check the sign-in settings: where each came from, and whether ZPA accepts them'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c zpakey -n "__fish_zpakey_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l id -d 'The key\'s id (digits only)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l name -d 'The key\'s exact name (case-sensitive unless --ignore-case)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l type -d 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched' -r -f -a "CONNECTOR_GRP\t''
EXPORTER_GRP\t''
NP_ASSISTANT_GRP\t''
SERVICE_EDGE_GRP\t''
SITE_CONTROLLER_GRP\t''
connector\t''
exporter\t''
np-assistant\t''
service-edge\t''
site-controller\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l field -d 'Print only this field of the JSON object, as plain text (strings bare, others as JSON)' -r -f -a "id\t''
name\t''
association_type\t''
enabled\t''
usable\t''
problems\t''
max_usage\t''
usage_count\t''
remaining_uses\t''
exportable\t''
zcomponent_id\t''
zcomponent_name\t''
enrollment_cert_id\t''
enrollment_cert_name\t''
ip_acl\t''
expiration_time\t''
creation_time\t''
modified_time\t''
modified_by\t''
microtenant_id\t''
microtenant_name\t''
app_connector_group_id\t''
app_connector_group_name\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l ignore-case -d 'Match --name without regard to case'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l type -d 'Only these association types (repeatable, or comma-separated): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter' -r -f -a "CONNECTOR_GRP\t''
EXPORTER_GRP\t''
NP_ASSISTANT_GRP\t''
SERVICE_EDGE_GRP\t''
SITE_CONTROLLER_GRP\t''
connector\t''
exporter\t''
np-assistant\t''
service-edge\t''
site-controller\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l search -d 'Only keys whose name contains TEXT, ignoring case' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l id -d 'The key\'s id (digits only)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l name -d 'The key\'s exact name (case-sensitive unless --ignore-case)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l type -d 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched' -r -f -a "CONNECTOR_GRP\t''
EXPORTER_GRP\t''
NP_ASSISTANT_GRP\t''
SERVICE_EDGE_GRP\t''
SITE_CONTROLLER_GRP\t''
connector\t''
exporter\t''
np-assistant\t''
service-edge\t''
site-controller\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l out-file -d 'Write to this file (atomically, mode from --file-mode) instead of stdout' -r -F
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l file-mode -d 'The --out-file\'s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l min-remaining -d 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l valid-for -d 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l ignore-case -d 'Match --name without regard to case'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -s n -l no-newline -d 'Do not print a newline after the key'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l force -d 'Replace an existing --out-file (only ever a regular file)'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l allow-unusable -d 'Reveal a key even if it is disabled, used up, expired or short of the health options'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand reveal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l id -d 'Check this key (digits only). Without --id or --name, every enabled key is checked' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l name -d 'Check the key with this exact name (case-sensitive unless --ignore-case)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l type -d 'Only these association types (repeatable, or comma-separated; one with --id or --name): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter' -r -f -a "CONNECTOR_GRP\t''
EXPORTER_GRP\t''
NP_ASSISTANT_GRP\t''
SERVICE_EDGE_GRP\t''
SITE_CONTROLLER_GRP\t''
connector\t''
exporter\t''
np-assistant\t''
service-edge\t''
site-controller\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l min-remaining -d 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l valid-for -d 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l ignore-case -d 'Match --name without regard to case'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l id -d 'The key\'s id (digits only)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l name -d 'The key\'s exact name (case-sensitive unless --ignore-case)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l type -d 'Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases connector, service-edge, np-assistant, site-controller and exporter. Without it, every type is searched' -r -f -a "CONNECTOR_GRP\t''
EXPORTER_GRP\t''
NP_ASSISTANT_GRP\t''
SERVICE_EDGE_GRP\t''
SITE_CONTROLLER_GRP\t''
connector\t''
exporter\t''
np-assistant\t''
service-edge\t''
site-controller\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l env -d 'The environment variable the command finds the key in' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l min-remaining -d 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l valid-for -d 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l ignore-case -d 'Match --name without regard to case'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l no-masking -d 'Connect the command\'s stdout and stderr directly instead of masking the key in them (for interactive programs that need a terminal)'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l allow-unusable -d 'Hand over a key even if it is disabled, used up, expired or short of the health options'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -s i -l in-file -d 'Read the template from FILE instead of stdin' -r -F
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l file-mode -d 'The --out-file\'s permissions, in octal: 0600 (the default) or, for a file a service running as another user must read, 0640 or 0644. Write or execute permission for group or others is refused' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l min-remaining -d 'Refuse a key with fewer than N uses left (each enrollment, and each pod restart, burns one)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l valid-for -d 'Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l out-file -d 'Write to FILE (atomically, mode from --file-mode) instead of stdout; after `inject`, -o FILE means the same' -r -F
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l force -d 'Replace an existing --out-file (only ever a regular file)'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l allow-unusable -d 'Fill in keys even if they are disabled, used up, expired or short of the health options'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand inject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token\'s lifetime'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token\'s lifetime'
complete -c zpakey -n "__fish_zpakey_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -s o -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l microtenant-id -d 'Work inside this microtenant: sends `microtenantId` on every call' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l cloud -d 'Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l api-url -d 'Send API requests to this base URL instead of the cloud\'s (https, or http to loopback)' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l auth-url -d 'Fetch OneAPI tokens from this URL instead of the vanity domain\'s token endpoint' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l timeout -d 'Give up on a single request after this many seconds' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l max-wait -d 'Spend at most this many seconds retrying: on failed attempts and the waits between them' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l profile -d 'Read settings from this profile of the config file' -r
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l legacy -d 'Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI'
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l token-cache -d 'Keep the access token in a private cache file and reuse it across runs'
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -l no-input -d 'Never prompt; fail with the documented exit code instead'
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -s v -l verbose -d 'Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged'
complete -c zpakey -n "__fish_zpakey_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "get" -d 'Show one key\'s metadata (never the key itself)'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "list" -d 'List keys of every type (or the types given), every page, sorted by type, name and id'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "reveal" -d 'Print a key\'s value, and nothing else, for a deploy script or a file'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "check" -d 'Check keys before a job needs them: exit 0 exactly when `reveal` with the same options would succeed; without --id or --name, every enabled key, printing those that fail'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "exec" -d 'Run a command with a key in its environment (never in argv, a file or a shell variable), masking the key in the command\'s output'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "inject" -d 'Fill in a template\'s key references ({{ zpakey://id/ID }}, {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "auth" -d 'Check the sign-in settings: where each came from, and whether ZPA accepts them'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and not __fish_seen_subcommand_from get list reveal check exec inject auth completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zpakey -n "__fish_zpakey_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each with where it came from, then sign in and report the token\'s lifetime'
