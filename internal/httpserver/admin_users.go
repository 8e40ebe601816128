package httpserver

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/sipas/sipas/internal/auth"
	"github.com/sipas/sipas/surveys"
)

// userNamePattern is what sign-in names look like (lower case; the CLI
// and the store fold names to lower case too).
var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// userListView is GET /admin/users.
type userListView struct {
	staffPage
	Users []userRow
}

type userRow struct {
	Name, DisplayName, Role, Created string
	Disabled, Self                   bool
}

// userFormView is the new-user form.
type userFormView struct {
	staffPage
	Name        string
	DisplayName string
	Role        string
	Roles       []roleOption
	Errors      fieldErrors
}

type roleOption struct{ Value, Label string }

// userPasswordView is the password reset form.
type userPasswordView struct {
	staffPage
	Name   string
	Errors fieldErrors
}

func (s *server) handleUserList(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	ctx, cancel := s.storeCtx()
	defer cancel()
	us, err := s.deps.Staff.Users(ctx)
	if err != nil {
		return err
	}
	v := userListView{staffPage: s.newStaffPage(c, s.cat.T(lang, "admin.users"), navAdmin)}
	for _, u := range us {
		v.Users = append(v.Users, userRow{Name: u.Name, DisplayName: u.DisplayName,
			Role: s.cat.T(lang, "role."+string(u.Role)), Created: u.CreatedAt.In(surveys.Location).Format("2006-01-02 15:04"),
			Disabled: u.Disabled, Self: u.Name == s.actor(c)})
	}
	return s.render(c, fiber.StatusOK, "staff/admin_users.html", v)
}

func (s *server) userForm(c *fiber.Ctx, status int, v userFormView) error {
	lang := s.staffLang(c)
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, "admin.user_new"), navAdmin)
	for _, r := range []surveys.Role{surveys.RoleAnalyst, surveys.RoleAdmin} {
		v.Roles = append(v.Roles, roleOption{Value: string(r), Label: s.cat.T(lang, "role."+string(r))})
	}
	return s.render(c, status, "staff/admin_user_form.html", v)
}

func (s *server) handleUserNew(c *fiber.Ctx) error {
	return s.userForm(c, fiber.StatusOK, userFormView{Role: string(surveys.RoleAnalyst)})
}

// handleUserCreate creates an account with an initial password.
func (s *server) handleUserCreate(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	v := userFormView{Name: strings.ToLower(formText(c, "name")), DisplayName: formText(c, "display_name"),
		Role: c.FormValue("role"), Errors: fieldErrors{}}
	password := c.FormValue("password")
	ctx, cancel := s.storeCtx()
	defer cancel()
	if !userNamePattern.MatchString(v.Name) {
		v.Errors["name"] = s.cat.T(lang, "admin.err.user_name")
	} else if _, err := s.deps.Staff.User(ctx, v.Name); err == nil {
		v.Errors["name"] = s.cat.T(lang, "admin.err.user_taken")
	} else if !surveys.IsNotFound(err) {
		return err
	}
	checkName(s, lang, v.Errors, "display_name", v.DisplayName, false)
	if !surveys.Role(v.Role).Valid() {
		v.Errors["role"] = s.cat.T(lang, "admin.err.role")
	}
	if key := auth.CheckPassword(v.Name, password); key != "" {
		v.Errors["password"] = s.passwordMsg(lang, key)
	}
	if len(v.Errors) > 0 {
		// The password is never sent back.
		return s.userForm(c, fiber.StatusUnprocessableEntity, v)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.deps.Now()
	u := surveys.User{Name: v.Name, DisplayName: v.DisplayName, Role: surveys.Role(v.Role),
		PasswordHash: hash, CreatedAt: now, PasswordChangedAt: now}
	if err := s.deps.Staff.PutUser(ctx, u); err != nil {
		return err
	}
	s.audit(s.actor(c), "user.create", u.Name, "role="+string(u.Role))
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

// loadUser returns the account named in the URL, or ENOTFOUND.
func (s *server) loadUser(c *fiber.Ctx) (surveys.User, error) {
	ctx, cancel := s.storeCtx()
	defer cancel()
	return s.deps.Staff.User(ctx, c.Params("name"))
}

func (s *server) handleUserPasswordForm(c *fiber.Ctx) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	return s.passwordForm(c, fiber.StatusOK, userPasswordView{Name: u.Name})
}

func (s *server) passwordForm(c *fiber.Ctx, status int, v userPasswordView) error {
	lang := s.staffLang(c)
	v.staffPage = s.newStaffPage(c, s.cat.T(lang, "admin.user_password"), navAdmin)
	return s.render(c, status, "staff/admin_user_password.html", v)
}

// handleUserPasswordReset sets a new password and ends the account's
// sessions (also by PasswordChangedAt, should a delete be missed).
func (s *server) handleUserPasswordReset(c *fiber.Ctx) error {
	lang := s.staffLang(c)
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	password := c.FormValue("password")
	if key := auth.CheckPassword(u.Name, password); key != "" {
		return s.passwordForm(c, fiber.StatusUnprocessableEntity, userPasswordView{Name: u.Name,
			Errors: fieldErrors{"password": s.passwordMsg(lang, key)}})
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash, u.PasswordChangedAt = hash, s.deps.Now()
	return s.changeUser(c, u, "user.password_reset")
}

func (s *server) handleUserDisable(c *fiber.Ctx) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	if u.Name == s.actor(c) {
		// An admin who disabled themselves could lock everyone out.
		return &surveys.Error{Code: surveys.EINVALID, Message: "you cannot disable your own account"}
	}
	u.Disabled = true
	return s.changeUser(c, u, "user.disable")
}

func (s *server) handleUserEnable(c *fiber.Ctx) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	u.Disabled = false
	return s.changeUser(c, u, "user.enable")
}

// handleUserSignout ends every session of the account.
func (s *server) handleUserSignout(c *fiber.Ctx) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	n, err := s.deps.Staff.DeleteUserSessions(ctx, u.Name)
	if err != nil {
		return err
	}
	s.audit(s.actor(c), "user.signout_all", u.Name, strconv.Itoa(n)+" sessions")
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

// changeUser stores u, ends its sessions and records action.
func (s *server) changeUser(c *fiber.Ctx, u surveys.User, action string) error {
	ctx, cancel := s.storeCtx()
	defer cancel()
	if err := s.deps.Staff.PutUser(ctx, u); err != nil {
		return err
	}
	if _, err := s.deps.Staff.DeleteUserSessions(ctx, u.Name); err != nil {
		return err
	}
	s.audit(s.actor(c), action, u.Name, "")
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

// passwordMsg translates a password policy key; only the length rule
// takes an argument.
func (s *server) passwordMsg(lang, key string) string {
	if key == auth.MsgPasswordTooShort {
		return s.cat.T(lang, key, auth.MinPasswordLen)
	}
	return s.cat.T(lang, key)
}
