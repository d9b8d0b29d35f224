//! Ids as types: a value carried from one module to another says what it names. A `StackId` is a
//! reference stack's id (stacks.json) and a `QuestionId` a question's (questions.json); knowledge
//! load checks that every id the knowledge names exists, so code that holds one holds a checked id.
//!
//! Both serialise as the plain string (`#[serde(transparent)]`), so the JSON, YAML and command-line
//! output that carries them is the same as when they were strings. They read as `&str` (`Deref`,
//! `AsRef`, `Borrow`) wherever an id is only looked up or shown, and compare with string literals.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // `pad`, not `write_str`: a width or alignment (`{:<18}`) applies as to a string
                f.pad(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type! {
    /// A reference stack's id, as stacks.json declares it ("alb-ec2-sticky").
    StackId
}

id_type! {
    /// A question's id, as questions.json declares it ("peak_rps").
    QuestionId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_id_serialises_as_a_plain_string_and_reads_back() {
        let id = StackId::from("alb-ec2-sticky");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"alb-ec2-sticky\"");
        let back: StackId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        assert_eq!(back, "alb-ec2-sticky");
    }

    #[test]
    fn a_struct_carrying_ids_writes_the_same_json_as_with_strings() {
        #[derive(Serialize)]
        struct Typed {
            stack: StackId,
            question: QuestionId,
        }
        #[derive(Serialize)]
        struct Plain {
            stack: String,
            question: String,
        }
        let typed = Typed {
            stack: "apigw-lambda-dynamodb".into(),
            question: "peak_rps".into(),
        };
        let plain = Plain {
            stack: "apigw-lambda-dynamodb".into(),
            question: "peak_rps".into(),
        };
        assert_eq!(
            serde_json::to_string(&typed).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
    }

    #[test]
    fn an_id_pads_like_a_string_when_shown_in_a_column() {
        let id = QuestionId::from("peak_rps");
        assert_eq!(format!("[{id:<10}]"), "[peak_rps  ]");
        assert_eq!(id.to_string(), "peak_rps");
    }
}
