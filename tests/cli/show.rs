//! `leads show`: the form that explains a score, and the marks in its title.

use crate::harness::*;

#[test]
fn show_and_qualify_explain_mark_who_must_not_be_contacted_in_their_title() {
    let env = Env::new();
    leads_not_to_contact(&env);
    let shown = env.run(&["show", "1"]).success().stdout;
    assert!(
        shown.starts_with("Linus Torvalds  #1 (do not contact)\n"),
        "{shown}"
    );
    // Forgetting erased the company no other lead shares: the name says it all.
    let shown = env.run(&["show", "2"]).success().stdout;
    assert!(shown.starts_with("(forgotten)  #2\n"), "{shown}");
    let explained = env.run(&["qualify", "1", "--explain"]).success().stdout;
    assert!(
        explained.starts_with("Linus Torvalds  #1 (do not contact)\n"),
        "{explained}"
    );
}

#[test]
fn show_explains_the_score_in_a_table() {
    let env = Env::new();
    two_leads(&env);
    let out = env.run(&["show", "2"]).success().stdout;
    assert!(
        out.starts_with("Globex  #2\nstatus     new\nemail      buyer@globex.test\n"),
        "{out}"
    );
    assert!(
        out.contains("Score 6 (grade D): fit 15, engagement 0, readiness 0"),
        "{out}"
    );
    assert!(
        out.contains("source        purchased_list       0"),
        "{out}"
    );
    assert!(out.contains("email         present      10\n"), "{out}");
    assert!(out.contains("= fit                      15\n"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    let coloured = env
        .run(&["--color", "always", "show", "2"])
        .success()
        .stdout;
    assert!(coloured.contains("\x1b[1mGlobex\x1b[0m"), "{coloured}");
    let fields = env.run(&["show", "2", "--format", "csv"]).success().stdout;
    assert!(
        fields.starts_with("field,value\nid,2\nfirst_name,\n"),
        "{fields}"
    );
}
