//! Everyday rough edges (issue 13, part A): dates people write, list and show agreeing on a
//! score in any time zone, pasted email addresses, sources, names, search beyond ASCII.
use crate::harness::*;

fn field(env: &Env, id: i64, name: &str) -> String {
    env.show(id)[name]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| "null".to_string())
}

#[test]
fn a_pasted_address_gives_the_address_and_the_name() {
    let env = Env::new();
    let id = env.add(&["--email", "Bob Smith <Bob@Smith.Example>"]);
    assert_eq!(field(&env, id, "email"), "Bob@smith.example");
    assert_eq!(field(&env, id, "first_name"), "Bob");
    assert_eq!(field(&env, id, "last_name"), "Smith");
    // The same person pasted another way is a duplicate, not a new lead.
    env.run(&["add", "--email", "bob@smith.example"])
        .failure(4)
        .stderr_has("a lead with email bob@smith.example already exists: id 1");
    env.run(&[
        "add",
        "Robert",
        "--email",
        "\"Smith, Bob\" <bob@SMITH.example>",
    ])
    .failure(4);
    // A lead that has a name keeps it.
    let ada = env.add(&["Ada Lovelace", "--email", "Countess <ada@acme.test>"]);
    assert_eq!(field(&env, ada, "first_name"), "Ada");
    assert_eq!(field(&env, ada, "email"), "ada@acme.test");
}

#[test]
fn edit_takes_a_pasted_address_too() {
    let env = Env::new();
    let id = env.add(&["--company", "Globex"]);
    env.run(&[
        "edit",
        &id.to_string(),
        "--email",
        "Hank Scorpio <hank@globex.test>",
    ])
    .success();
    assert_eq!(field(&env, id, "email"), "hank@globex.test");
    assert_eq!(field(&env, id, "first_name"), "Hank");
    assert_eq!(field(&env, id, "last_name"), "Scorpio");
    env.run(&["edit", &id.to_string(), "--email", "Hank <hank@>"])
        .failure(65)
        .stderr_has(
            "--email: invalid email 'Hank <hank@>' (expected an address like \
             name@example.com or Name <name@example.com>)",
        );
}
