//! The long texts of `--help` (and so of the man page): examples, environment and exit
//! codes, kept apart from the option definitions they describe.

pub(super) const AFTER_HELP: &str = "\
Examples:
  zpakey list
  zpakey get --name edge-prod --type service-edge
  zpakey reveal --id 58856 | deploy-connector.sh
  ID=$(zpakey get --name tests-pkacg-vcr0003 --field id)

Run 'zpakey <COMMAND> --help' for a command's options, or see the man page for the
environment variables and exit codes.";

pub(crate) const AFTER_LONG_HELP: &str = "\
Examples:
  List every key of every type, as a table or as JSON:
    zpakey list
    zpakey list --type connector --search prod -o json

  Show one key's metadata (never its value):
    zpakey get --name 'edge-prod' --type service-edge

  Hand a key to a deploy script, and only the key:
    zpakey reveal --id 58856 | deploy-connector.sh

  In CI, fail early when the key cannot serve the job, then enroll:
    ID=$(zpakey get --name tests-pkacg-vcr0003 --type connector --field id)
    zpakey check --id \"$ID\" --min-remaining 2 --valid-for 7d
    zpakey reveal --id \"$ID\" --out-file provision_key --file-mode 0644

  Every night, before keys run out:
    zpakey check --min-remaining 5 --valid-for 30d   # exit 7 when any key falls short

  Hand a key to its consumer without a shell variable, argv or a log line:
    zpakey exec --id 58856 -- docker run -e ZPA_PROVISION_KEY zscaler/zpa-connector:latest
    helm install zpa-connector zscaler/zpa-connector -f <(zpakey inject -i values.tpl)

Environment:
  OneAPI (the default): ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE)
    or ZSCALER_PRIVATE_KEY, ZSCALER_VANITY_DOMAIN, ZPA_CUSTOMER_ID (or ZSCALER_CUSTOMER_ID),
    ZSCALER_CLOUD (production, beta, gov, govus).
  Legacy ZPA API (--legacy or ZSCALER_USE_LEGACY_CLIENT=true, or when only ZPA_CLIENT_ID is
    set): ZPA_CLIENT_ID, ZPA_CLIENT_SECRET (or ZPA_CLIENT_SECRET_FILE), ZPA_CUSTOMER_ID,
    ZPA_CLOUD (PRODUCTION, BETA, GOV, GOVUS, ZPATWO, PREVIEW).
  Also: ZPA_MICROTENANT_ID, ZPAKEY_OUTPUT, ZPAKEY_API_URL, ZPAKEY_AUTH_URL, ZPAKEY_MAX_WAIT,
    ZPAKEY_TOKEN_CACHE, ZPAKEY_PROFILE (a [profiles.NAME] table of
    $XDG_CONFIG_HOME/zpakey/config.toml), HTTPS_PROXY and NO_PROXY, NO_COLOR, CLICOLOR,
    CLICOLOR_FORCE, and CI (no prompts when set).
  ZPAKEY_NO_MASKING=1 as exec --no-masking. Under GitHub Actions (GITHUB_ACTIONS=true), a key
    written to stdout is first announced with ::add-mask:: on stderr; ZPAKEY_CI_MASK=0 stops it.
  Precedence: flag > environment > profile. Secrets are never accepted as flags.

Exit codes:
  0    success (also when stdout is closed early, e.g. piped into head)
  1    any other error
  2    usage error (bad flag or value)
  3    credentials missing, rejected, or not permitted
  4    no key matches
  5    more than one key matches
  6    the API or network failed (after retries), or answered something unreadable
  7    the key exists but cannot be used or revealed (disabled, used up, expired, not exportable,
       or short of --min-remaining / --valid-for)
  126  exec: the command exists but cannot be executed
  127  exec: the command was not found
  129  hung up (SIGHUP)
  130  interrupted (Ctrl-C, SIGINT)
  143  terminated (SIGTERM, as CI cancellation sends)
  exec exits with its command's status once the command has started (128+N when signal N ended
  it); zpakey's own codes 2 to 7 only when it fails before starting it.";
