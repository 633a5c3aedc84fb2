//! Any bytes as a mail file (an .eml, an mbox when they start with `From `, an Outlook .msg
//! when they start with the OLE signature), judged by every rule: never panic, and every mail
//! that comes back either is read or says why not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_mail::{MailContext, Verdict, check, source::read_mails};

fuzz_target!(|data: &[u8]| {
    let ctx = MailContext::default();
    for mail in read_mails("fuzz.eml", data) {
        let readable = mail.readable;
        let checked = check(mail, &ctx);
        assert_eq!(readable, checked.verdict != Verdict::Unread);
        if !readable {
            assert!(!checked.mail.problems.is_empty());
        }
    }
});
