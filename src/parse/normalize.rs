//! Width folding and similarity live in the model (`crate::model::normalize`),
//! where the readers use them too; re-exported here under their old path.

pub use crate::model::normalize::*;
