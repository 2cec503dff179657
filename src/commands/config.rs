//! `leads config`: show or change the profile (ideal customer, weights, thresholds).
//!
//! The names, parsing and checks of the settings live in `scoring::keys`; this command
//! reads the stored profile, hands it over, saves the result and rescores open leads.
use std::io::Write;

use anyhow::Result;

use super::config_rules;
use super::Ctx;
use crate::cli::{ConfigArgs, ConfigCommand, ConfigFormat};
use crate::error::bad_input;
use crate::model::AddressList;
use crate::output::{escape_controls, write_json};
use crate::rescoring::refresh_scores;
use crate::scoring::keys::{self, Key, ListChange, Setting};
use crate::scoring::rules::Rule;
use crate::workflows::mail::{MAIL_IGNORE, MAIL_ME};

/// The setting that labels amounts; not part of the scoring profile.
const CURRENCY: &str = keys::OTHER_SETTINGS[0];

use crate::workflows::agenda::{COLD_AFTER, COLD_AFTER_DEFAULT};

pub fn run(args: ConfigArgs, ctx: &Ctx) -> Result<()> {
    if let Some(ConfigCommand::Rule(command)) = args.command {
        return super::config_rules::run(command, ctx);
    }
    // `config fit.industries Software, FinTech`: the words after KEY are one value, and
    // so are the words after --add or --remove (clap lets only one of the three come).
    let words = |words: &[String]| (!words.is_empty()).then(|| words.join(" "));
    let list_change = match (words(&args.add), words(&args.remove)) {
        (Some(text), _) => Some((ListChange::Add, text)),
        (None, Some(text)) => Some((ListChange::Remove, text)),
        (None, None) => None,
    };
    let value = words(&args.value);
    // Showing settings only reads; changing one creates the database if needed.
    let store = if value.is_some() || list_change.is_some() {
        ctx.open_store()?
    } else {
        ctx.open_store_to_read()?
    };
    let Some(name) = args.key else {
        let profile = store.profile()?;
        let mut entries = keys::entries(&profile);
        if let Some(currency) = store.currency()? {
            entries.push((CURRENCY.to_string(), Setting::Text(currency)));
        }
        let cold_after = store.setting(COLD_AFTER)?;
        let cold_after = cold_after.unwrap_or_else(|| COLD_AFTER_DEFAULT.to_string());
        entries.push((COLD_AFTER.to_string(), Setting::Text(cold_after)));
        for key in [MAIL_ME, MAIL_IGNORE] {
            let listed = mail_entries(&store, key)?;
            if !listed.is_empty() {
                entries.push((key.to_string(), Setting::List(listed)));
            }
        }
        return print_entries(&entries, &profile.rules, args.format, ctx);
    };
    if let Some(key) = [MAIL_ME, MAIL_IGNORE]
        .into_iter()
        .find(|key| name.trim().eq_ignore_ascii_case(key))
    {
        return mail_addresses(&store, key, value.as_deref(), list_change, args.format, ctx);
    }
    if let Some((change, text)) = list_change {
        if name.trim().eq_ignore_ascii_case(CURRENCY) {
            return Err(bad_input(keys::not_a_list(CURRENCY)));
        }
        let key = Key::parse(&name).map_err(|message| unknown_key(&name, message))?;
        return change_setting(&store, &key, ctx, |profile| {
            keys::change_list(profile, &key, change, &text)
        });
    }
    if name.trim().eq_ignore_ascii_case(CURRENCY) {
        return currency(&store, value.as_deref(), args.format, ctx);
    }
    if name.trim().eq_ignore_ascii_case(COLD_AFTER) {
        return cold_after(&store, value.as_deref(), args.format, ctx);
    }
    let Some(value) = value else {
        let profile = store.profile()?;
        return match Key::parse(&name) {
            Ok(key) => print_one(&keys::get(&profile, &key), args.format, ctx),
            // `leads config weights` lists the settings under a prefix.
            Err(message) => match keys::entries_under(&profile, &name) {
                entries if entries.is_empty() => Err(unknown_key(&name, message)),
                entries => print_entries(&entries, &[], args.format, ctx),
            },
        };
    };

    let key = Key::parse(&name).map_err(|message| unknown_key(&name, message))?;
    change_setting(&store, &key, ctx, |profile| {
        keys::set(profile, &key, &value)
    })
}

/// Change one setting of the stored profile, rescore, and say what it was and is now.
fn change_setting(
    store: &crate::store::Store,
    key: &Key,
    ctx: &Ctx,
    change: impl Fn(&crate::scoring::Profile) -> Result<crate::scoring::Profile, String>,
) -> Result<()> {
    let (before, after) = store.write(|store| {
        let profile = store.profile()?;
        let changed = change(&profile).map_err(bad_input)?;
        store.save_profile(&changed)?;
        Ok((profile, changed))
    })?;
    if keys::is_custom_source(key) {
        ctx.warn(format!(
            "{} is not one of the known sources ({}); leads with that source get these points",
            key.name().trim_start_matches("engagement.source."),
            crate::model::KNOWN_SOURCES.join(", ")
        ));
    }
    // Stored scores follow the new profile at once (list/show would do it on their next run).
    refresh_scores(store, &after, ctx.clock())?;
    ctx.say(format!(
        "{} = {} (was {})",
        key.name(),
        shown(&keys::get(&after, key)),
        shown(&keys::get(&before, key))
    ));
    Ok(())
}

/// An unknown setting; `rules` (or `rule` misplaced) points to `leads config rule`.
fn unknown_key(name: &str, message: String) -> anyhow::Error {
    // The settings' own message lists them all; for `rules` the one to name is `rule`.
    let squashed = crate::model::squash(name);
    if squashed == "rule" || squashed == "rules" {
        bad_input(format!(
            "unknown setting '{}' (did you mean 'rule'? scoring rules are `leads config \
             rule add|list|delete`)",
            name.trim()
        ))
    } else {
        bad_input(message)
    }
}

/// A setting in the confirmation line: as TOML, with control characters escaped as in
/// every table cell (`leads config KEY` prints them the same way).
fn shown(setting: &Setting) -> String {
    let quoted = |text: &str| format!("\"{}\"", escape_controls(text).replace('"', "\\\""));
    match setting {
        Setting::Text(text) => quoted(text),
        Setting::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| quoted(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Setting::Number(_) => setting.to_toml(),
    }
}

/// `leads config currency [LABEL]`: the label of amounts (no conversion); `default`
/// removes it.
fn currency(
    store: &crate::store::Store,
    value: Option<&str>,
    format: ConfigFormat,
    ctx: &Ctx,
) -> Result<()> {
    let before = store.currency()?;
    let Some(value) = value else {
        return print_value(before.as_deref(), format, ctx);
    };
    let label = value.trim();
    let after = if label.eq_ignore_ascii_case("default") || label.is_empty() {
        None
    } else if label.chars().count() > 12 || label.chars().any(char::is_control) {
        return Err(bad_input(format!(
            "currency: invalid label '{}' (expected a short label such as EUR, USD or €; \
             `default` removes it)",
            label
        )));
    } else {
        Some(label)
    };
    store.write(|store| store.set_currency(after))?;
    let shown = |label: Option<&str>| label.map_or("none".to_string(), |l| format!("\"{l}\""));
    ctx.say(format!(
        "currency = {} (was {})",
        shown(after),
        shown(before.as_deref())
    ));
    Ok(())
}

/// One setting kept beside the profile, as `config KEY` prints it: the text alone (an
/// empty line when unset), or a JSON string (null).
fn print_value(value: Option<&str>, format: ConfigFormat, ctx: &Ctx) -> Result<()> {
    let mut out = ctx.stdout();
    match format {
        ConfigFormat::Text => writeln!(out, "{}", escape_controls(value.unwrap_or_default()))?,
        ConfigFormat::Json => write_json(
            &mut out,
            &serde_json::json!(value),
            crate::cli::Format::Json,
        )?,
    }
    out.flush()?;
    Ok(())
}

/// `leads config agenda.cold_after [INTERVAL]`: how long a worked lead with nothing
/// planned may go untouched before `today` lists it as going cold; `default` is 14d.
fn cold_after(
    store: &crate::store::Store,
    value: Option<&str>,
    format: ConfigFormat,
    ctx: &Ctx,
) -> Result<()> {
    let before = store
        .setting(COLD_AFTER)?
        .unwrap_or_else(|| COLD_AFTER_DEFAULT.to_string());
    let Some(value) = value else {
        return print_value(Some(&before), format, ctx);
    };
    let text = value.trim();
    let after = if text.eq_ignore_ascii_case("default") || text.is_empty() {
        None
    } else {
        let interval = crate::dates::parse_interval(text)
            .map_err(|err| bad_input(format!("{COLD_AFTER}: {err}")))?;
        Some(interval.to_string())
    };
    store.write(|store| match &after {
        Some(interval) => store.set_setting(COLD_AFTER, interval),
        None => store.delete_setting(COLD_AFTER),
    })?;
    ctx.say(format!(
        "{COLD_AFTER} = \"{}\" (was \"{before}\")",
        after.as_deref().unwrap_or(COLD_AFTER_DEFAULT)
    ));
    Ok(())
}

/// The stored entries of `mail.me` or `mail.ignore` (none when unset).
fn mail_entries(store: &crate::store::Store, key: &str) -> Result<Vec<String>> {
    let text = store.setting(key)?.unwrap_or_default();
    Ok(AddressList::parse_entries(&text, key == MAIL_IGNORE).unwrap_or_default())
}

/// `leads config mail.me [ADDRESSES]` (the seller's own addresses and aliases) and
/// `mail.ignore [ADDRESSES AND DOMAINS]` (mail never logged): comma-separated lists, each
/// entry checked; `--add` and `--remove` change one entry; `default` clears the list.
fn mail_addresses(
    store: &crate::store::Store,
    key: &str,
    value: Option<&str>,
    change: Option<(ListChange, String)>,
    format: ConfigFormat,
    ctx: &Ctx,
) -> Result<()> {
    let domains = key == MAIL_IGNORE;
    let before = mail_entries(store, key)?;
    let read = |text: &str| {
        AddressList::parse_entries(text, domains).map_err(|err| {
            let expected = if domains {
                "addresses or domains such as news.example, separated by commas"
            } else {
                "your addresses and aliases, separated by commas"
            };
            bad_input(format!(
                "{key}: {err} (expected {expected}; `default` clears it)"
            ))
        })
    };
    let after = match (value, change) {
        (None, None) => return print_one(&Setting::List(before), format, ctx),
        (_, Some((ListChange::Add, text))) => {
            let mut after = before.clone();
            after.extend(read(&text)?.into_iter().filter(|e| !before.contains(e)));
            after
        }
        (_, Some((ListChange::Remove, text))) => {
            let gone = read(&text)?;
            if let Some(missing) = gone.iter().find(|e| !before.contains(e)) {
                return Err(bad_input(format!("{key}: '{missing}' is not in the list")));
            }
            before
                .iter()
                .filter(|e| !gone.contains(e))
                .cloned()
                .collect()
        }
        (Some(text), None) if text.trim().eq_ignore_ascii_case("default") => Vec::new(),
        (Some(text), None) => read(text)?,
    };
    store.write(|store| match after.is_empty() {
        true => store.delete_setting(key),
        false => store.set_setting(key, &after.join(", ")),
    })?;
    ctx.say(format!(
        "{key} = {} (was {})",
        shown(&Setting::List(after)),
        shown(&Setting::List(before))
    ));
    Ok(())
}

/// The settings, then the rules (`leads config rule list` lists them alone): in TOML, an
/// array of tables after the plain keys; in JSON, a `rules` array.
fn print_entries(
    entries: &[(String, Setting)],
    rules: &[Rule],
    format: ConfigFormat,
    ctx: &Ctx,
) -> Result<()> {
    let mut out = ctx.stdout();
    match format {
        ConfigFormat::Text => {
            for (name, setting) in entries {
                writeln!(out, "{name} = {}", setting.to_toml())?;
            }
            for rule in rules {
                writeln!(out, "\n{}", escape_controls(&config_rules::to_toml(rule)))?;
            }
        }
        ConfigFormat::Json => {
            let mut json = keys::to_json(entries);
            if !rules.is_empty() {
                json["rules"] = rules.iter().map(config_rules::to_json).collect();
            }
            write_json(&mut out, &json, crate::cli::Format::Json)?
        }
    }
    out.flush()?;
    Ok(())
}

fn print_one(setting: &Setting, format: ConfigFormat, ctx: &Ctx) -> Result<()> {
    let mut out = ctx.stdout();
    match format {
        // As it would be typed back: `leads config KEY "$(leads config KEY)"` changes nothing.
        // Control characters escaped, as in every table cell.
        ConfigFormat::Text => writeln!(out, "{}", escape_controls(&setting.to_input()))?,
        ConfigFormat::Json => write_json(&mut out, &setting.to_json(), crate::cli::Format::Json)?,
    }
    out.flush()?;
    Ok(())
}
