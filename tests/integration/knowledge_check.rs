//! knowledge_check
