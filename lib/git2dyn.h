/* git2dyn.h: libgit2, loaded with dlopen() when a command first needs
 * git. Linking it costs every process about 5 ms at start (it pulls in
 * Kerberos, OpenSSL, mbedTLS and libssh2), and get, list and info do not
 * need it. Include after <git2.h>, in repo.c only: each git_* call below
 * goes through a pointer that git2dyn_load() fills. tests check that
 * repo.c calls no libgit2 function missing from this list. */
#ifndef CF_GIT2DYN_H
#define CF_GIT2DYN_H

/* GIT2DYN_SONAME, the file dlopen() loads, is set by the Makefile from
 * the installed libgit2 (pkg-config), for git2dyn.c only. */

#define GIT2DYN_FUNCS(X) \
	X(git_blob_create_from_buffer) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_buf_dispose) \
	X(git_commit_author) \
	X(git_commit_create_buffer) \
	X(git_commit_create_with_signature) \
	X(git_commit_extract_signature) \
	X(git_commit_free) \
	X(git_commit_id) \
	X(git_commit_lookup) \
	X(git_commit_message) \
	X(git_commit_parent) \
	X(git_commit_parentcount) \
	X(git_commit_summary) \
	X(git_commit_time) \
	X(git_commit_tree) \
	X(git_error_clear) \
	X(git_error_last) \
	X(git_index_add_bypath) \
	X(git_index_free) \
	X(git_index_remove_bypath) \
	X(git_index_write) \
	X(git_libgit2_init) \
	X(git_libgit2_opts) \
	X(git_odb_hashfile) \
	X(git_oid_cpy) \
	X(git_oid_fromstr) \
	X(git_oid_equal) \
	X(git_oid_tostr) \
	X(git_reference_create) \
	X(git_reference_create_matching) \
	X(git_reference_free) \
	X(git_reference_lookup) \
	X(git_reference_name_to_id) \
	X(git_reference_symbolic_target) \
	X(git_reference_type) \
	X(git_repository_free) \
	X(git_repository_head_unborn) \
	X(git_repository_index) \
	X(git_repository_init_ext) \
	X(git_repository_init_options_init) \
	X(git_repository_is_shallow) \
	X(git_repository_open_ext) \
	X(git_repository_workdir) \
	X(git_signature_free) \
	X(git_signature_new) \
	X(git_tree_create_updated) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_free) \
	X(git_tree_entry_id) \
	X(git_tree_entry_name) \
	X(git_tree_entry_type) \
	X(git_tree_free) \
	X(git_tree_lookup) \
	X(git_tree_walk) \
	X(git_treebuilder_free) \
	X(git_treebuilder_new) \
	X(git_treebuilder_write) \

#define GIT2DYN_PTR(f) extern __typeof__(f) *p_##f;
GIT2DYN_FUNCS(GIT2DYN_PTR)
#undef GIT2DYN_PTR

#ifndef GIT2DYN_FUNCS_ONLY
#define git_blob_create_from_buffer (*p_git_blob_create_from_buffer)
#define git_blob_free (*p_git_blob_free)
#define git_blob_lookup (*p_git_blob_lookup)
#define git_blob_rawcontent (*p_git_blob_rawcontent)
#define git_blob_rawsize (*p_git_blob_rawsize)
#define git_buf_dispose (*p_git_buf_dispose)
#define git_commit_author (*p_git_commit_author)
#define git_commit_create_buffer (*p_git_commit_create_buffer)
#define git_commit_create_with_signature (*p_git_commit_create_with_signature)
#define git_commit_extract_signature (*p_git_commit_extract_signature)
#define git_commit_free (*p_git_commit_free)
#define git_commit_id (*p_git_commit_id)
#define git_commit_lookup (*p_git_commit_lookup)
#define git_commit_message (*p_git_commit_message)
#define git_commit_parent (*p_git_commit_parent)
#define git_commit_parentcount (*p_git_commit_parentcount)
#define git_commit_summary (*p_git_commit_summary)
#define git_commit_time (*p_git_commit_time)
#define git_commit_tree (*p_git_commit_tree)
#define git_error_clear (*p_git_error_clear)
#define git_error_last (*p_git_error_last)
#define git_index_add_bypath (*p_git_index_add_bypath)
#define git_index_free (*p_git_index_free)
#define git_index_remove_bypath (*p_git_index_remove_bypath)
#define git_index_write (*p_git_index_write)
#define git_libgit2_init (*p_git_libgit2_init)
#define git_libgit2_opts (*p_git_libgit2_opts)
#define git_odb_hashfile (*p_git_odb_hashfile)
#define git_oid_cpy (*p_git_oid_cpy)
#define git_oid_fromstr (*p_git_oid_fromstr)
#define git_oid_equal (*p_git_oid_equal)
#define git_oid_tostr (*p_git_oid_tostr)
#define git_reference_create (*p_git_reference_create)
#define git_reference_create_matching (*p_git_reference_create_matching)
#define git_reference_free (*p_git_reference_free)
#define git_reference_lookup (*p_git_reference_lookup)
#define git_reference_name_to_id (*p_git_reference_name_to_id)
#define git_reference_symbolic_target (*p_git_reference_symbolic_target)
#define git_reference_type (*p_git_reference_type)
#define git_repository_free (*p_git_repository_free)
#define git_repository_head_unborn (*p_git_repository_head_unborn)
#define git_repository_index (*p_git_repository_index)
#define git_repository_init_ext (*p_git_repository_init_ext)
#define git_repository_init_options_init (*p_git_repository_init_options_init)
#define git_repository_is_shallow (*p_git_repository_is_shallow)
#define git_repository_open_ext (*p_git_repository_open_ext)
#define git_repository_workdir (*p_git_repository_workdir)
#define git_signature_free (*p_git_signature_free)
#define git_signature_new (*p_git_signature_new)
#define git_tree_create_updated (*p_git_tree_create_updated)
#define git_tree_entry_bypath (*p_git_tree_entry_bypath)
#define git_tree_entry_filemode (*p_git_tree_entry_filemode)
#define git_tree_entry_free (*p_git_tree_entry_free)
#define git_tree_entry_id (*p_git_tree_entry_id)
#define git_tree_entry_name (*p_git_tree_entry_name)
#define git_tree_entry_type (*p_git_tree_entry_type)
#define git_tree_free (*p_git_tree_free)
#define git_tree_lookup (*p_git_tree_lookup)
#define git_tree_walk (*p_git_tree_walk)
#define git_treebuilder_free (*p_git_treebuilder_free)
#define git_treebuilder_new (*p_git_treebuilder_new)
#define git_treebuilder_write (*p_git_treebuilder_write)

#endif

/* Loads libgit2 once; CF_EGENERIC with the reason if it cannot. */
int git2dyn_load(void);

#endif
