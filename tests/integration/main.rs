//! The one integration-test binary: each module is a part of the product's specification.

mod support;
mod sweep;
#[cfg(unix)]
mod untrusted_numbers;
#[cfg(unix)]
mod untrusted_reads;
#[cfg(unix)]
mod untrusted_writes;

mod advice;
mod api_keys;
mod bill_cli;
mod bill_examples;
mod bill_knowledge;
mod bill_props;
mod bill_scenario;
mod cli_errors;
mod cli_layers;
mod cross_cutting_tiers;
mod design_review;
mod durable_state;
mod export_evidence;
mod export_files;
mod export_record;
mod export_roundtrip;
mod export_simulated;
mod export_support;
mod focus;
mod front_doors;
mod gui_access;
mod gui_behaviour;
mod gui_decisions;
mod gui_dialogs;
mod gui_export;
mod gui_files;
mod gui_harness;
mod gui_numbers;
mod gui_one_story;
mod gui_screens;
mod gui_simulator;
mod gui_snapshots;
mod gui_undo;
mod gui_wizard;
mod hand_priced;
#[cfg(unix)]
mod hostile_export;
mod hostile_files;
mod hostile_limits;
mod knowledge_check;
mod mutation;
mod mutation_gen;
mod record_story;
mod review;
mod search_and_media;
mod sim_capacity;
mod sim_chaos;
mod sim_cost;
mod sim_edge_cache;
mod sim_explore;
mod sim_latency;
mod sim_live_door;
mod sim_props;
mod sim_quotas;
mod sim_scaling;
mod sim_scenario;
mod sim_support;
mod stateful_designs;
