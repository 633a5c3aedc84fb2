//! Any TCP byte stream, split anywhere: the framer never panics, never hands out a message
//! longer than the limit, gives the same messages however the stream is split, and a message
//! it hands out is always a piece of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_watch::frame::{Framer, MAX_MESSAGE};

fn frames(chunks: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut f = Framer::default();
    let mut out = Vec::new();
    for c in chunks {
        f.push(c, &mut |m, _| out.push(m.to_vec()));
    }
    f.finish(&mut |m, _| out.push(m.to_vec()));
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, stream)) = data.split_first() else { return };
    let whole = frames(&[stream]);
    let step = usize::from(split).max(1);
    let pieces: Vec<&[u8]> = stream.chunks(step).collect();
    assert_eq!(frames(&pieces), whole, "the split changed the messages");
    for m in &whole {
        assert!(m.len() <= MAX_MESSAGE);
        assert!(m.is_empty() || stream.windows(m.len()).any(|w| w == &m[..]));
    }
});
