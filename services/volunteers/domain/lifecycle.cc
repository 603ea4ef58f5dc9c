#include "services/volunteers/domain/lifecycle.h"
